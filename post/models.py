import uuid
from collections import defaultdict
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, JSONObject
from django.db.models.query import ValuesIterable
from django.utils import timezone

from social_media.db import count_subquery
from user.models import Follow


def _random_name(folder: str, filename: str) -> str:
    # The client's file name is never used: it may carry paths, scripts or personal data.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def media_upload_path(instance, filename):
    return _random_name("media", filename)


def thumbnail_upload_path(instance, filename):
    return _random_name("thumbnails", filename)


class HashtagQuerySet(models.QuerySet):
    def in_use(self):
        """Tags carrying at least one visible post: a tag whose posts were all deleted, or
        whose authors are all deactivated, is not listed (the row stays for their return)."""
        return self.filter(Exists(self._visible_links()))

    def with_post_count(self):
        """The visible posts carrying the tag, counted in a subquery on the (hashtag, post)
        index."""
        return self.annotate(post_count=count_subquery(self._visible_links(), "hashtag"))

    @staticmethod
    def _visible_links():
        # `PostQuerySet.visible_to` as a join, not as `post__in=<subquery>`: correlated per
        # tag, the join walks that tag's links, where the planner may hash every post.
        return PostHashtag.objects.filter(hashtag=OuterRef("pk"), post__author__is_active=True)

    def prefixed(self, prefix: str):
        # Names are stored lower-cased, so a case-sensitive prefix match on the normalised
        # prefix is the case-insensitive search, and it can use the unique index's
        # pattern-ops twin on PostgreSQL (LIKE 'abc%') instead of scanning UPPER(name).
        return self.filter(name__startswith=prefix)

    def trending(self, *, since):
        """Tags by the number of posts since `since`, most first, ties by name.

        `post_count` counts only posts in the window: the filter and the Count sit in one
        join, so the aggregate sees only the rows that passed it.
        """
        return (
            self.filter(posts__created_at__gte=since, posts__author__is_active=True)
            .annotate(post_count=Count("posts"))
            .order_by("-post_count", "name")
        )


class Hashtag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HashtagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"#{self.name}"


# The columns of a post row (`PostQuerySet.as_rows`): the post's own and its author's short
# block, joined, instead of whole model instances (no password hash, e-mail or bio per row).
POST_ROW_COLUMNS = (
    "id",
    "text",
    "created_at",
    "updated_at",
    "author_id",
    "author__username",
    "author__display_name",
    "author__avatar",
    "repost_of_id",
    "quote_of_id",
)
MEDIA_ROW_COLUMNS = ("id", "file", "thumbnail", "width", "height", "description")
# A mentioned user's short block, as `mentions` items carry it (`avatar`: the stored name).
MENTION_ROW_COLUMNS = {
    "id": "user_id",
    "username": "user__username",
    "display_name": "user__display_name",
    "avatar": "user__avatar",
}


class PostRowIterable(ValuesIterable):
    """`values()` rows completed with what a post's representation needs beyond its columns.

    On every database `repost_of` and `quote_of` (the originals, one level deep, as the
    viewer sees them, or None) come from one more page of rows. Where the page query cannot
    carry them as arrays (SQLite), `hashtag_names`, `media_items` and `mentions` of the rows
    and of their originals come from three queries over their ids. A constant number of
    queries whatever the number of rows. Meant for pages: it holds every fetched row in
    memory and lists their ids in one `IN`."""

    def __iter__(self):
        queryset = self.queryset
        rows = list(super().__iter__())
        originals = _originals(rows, queryset) if queryset._nested else {}
        for row in rows:
            row["repost_of"] = originals.get(row["repost_of_id"])
            row["quote_of"] = originals.get(row["quote_of_id"])
        if queryset._complete and connections[queryset.db].vendor != "postgresql":
            _complete_rows([*rows, *originals.values()], queryset.db)
        yield from rows


def _originals(rows: list[dict], queryset) -> dict[int, dict]:
    ids = {row[key] for row in rows for key in ("repost_of_id", "quote_of_id") if row[key]}
    if not ids:
        return {}
    # The same rule and state as the page itself: an original the viewer may not see is
    # null, not a leak. Completed together with the page's rows (`_complete_rows`).
    page = Post.objects.using(queryset.db).for_viewer(queryset._viewer).filter(pk__in=ids)
    page = page.as_rows(nested=False)
    page._complete = False
    return {row["id"]: row for row in page}


def _complete_rows(rows: list[dict], db: str) -> None:
    # A post may be in the page and the original of another row: two dicts, one id.
    by_id = defaultdict(list)
    for row in rows:
        row["hashtag_names"], row["media_items"], row["mentions"] = [], [], []
        by_id[row["id"]].append(row)
    if not by_id:
        return

    def add(key, post_id, value):
        for row in by_id[post_id]:
            row[key].append(value)

    # Names in alphabetical order, media in display order, as the arrays have them.
    tags = PostHashtag.objects.using(db).filter(post_id__in=by_id).order_by("hashtag__name")
    for post_id, name in tags.values_list("post_id", "hashtag__name"):
        add("hashtag_names", post_id, name)
    media = Media.objects.using(db).filter(post_id__in=by_id).order_by("position", "id")
    for post_id, *values in media.values_list("post_id", *MEDIA_ROW_COLUMNS):
        add("media_items", post_id, dict(zip(MEDIA_ROW_COLUMNS, values, strict=True)))
    mentions = PostMention.objects.using(db).shown().filter(post_id__in=by_id).order_by("id")
    for post_id, *values in mentions.values_list("post_id", *MENTION_ROW_COLUMNS.values()):
        add("mentions", post_id, dict(zip(MENTION_ROW_COLUMNS, values, strict=True)))


class PostQuerySet(models.QuerySet):
    """Every read of posts starts from `visible_to`, so a later visibility rule (blocks,
    private accounts) changes one function; counts and viewer state live here once too."""

    # Who the rows are read for, and whether originals are attached (see `PostRowIterable`);
    # kept through every clone so the paginator's slices still know them.
    _viewer = None
    _nested = True
    _complete = True

    def _clone(self):
        clone = super()._clone()
        clone._viewer, clone._nested, clone._complete = self._viewer, self._nested, self._complete
        return clone

    def visible_to(self, viewer):
        """The visibility rule alone: the posts `viewer` may read. Writes (like, comment,
        edit, delete) need no more than this row."""
        return self.filter(author__is_active=True)

    def for_viewer(self, viewer):
        """What a post is rendered from: the visible posts with their counts and `viewer`'s
        state; `as_rows()` then reads a page of them with author, hashtags and media in a
        fixed number of queries, and `PostSerializer` renders the rows."""
        posts = self.visible_to(viewer).with_counts().with_viewer_state(viewer)
        posts._viewer = viewer
        return posts

    def with_counts(self):
        """Likes and comments of active accounts: the counts are the same for every caller,
        and what a deactivated account did leaves them as it leaves the likers and comment
        lists (and comes back if the account does)."""
        return self.annotate(
            like_count=count_subquery(
                Like.objects.filter(post=OuterRef("pk"), user__is_active=True), "post"
            ),
            comment_count=count_subquery(
                Comment.objects.filter(post=OuterRef("pk"), author__is_active=True), "post"
            ),
            repost_count=count_subquery(
                Post.objects.filter(repost_of=OuterRef("pk"), author__is_active=True),
                "repost_of",
            ),
        )

    def with_viewer_state(self, viewer):
        if viewer is None or not viewer.is_authenticated:
            return self
        return self.annotate(
            liked_by_me=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            reposted_by_me=Exists(Post.objects.filter(repost_of=OuterRef("pk"), author=viewer)),
            # Bookmarks are private: only ever the viewer's own.
            bookmarked_by_me=Exists(Bookmark.objects.filter(post=OuterRef("pk"), user=viewer)),
        )

    def as_rows(self, *, nested: bool = True):
        """The posts as plain dicts, what `PostSerializer` renders.

        A page of model instances with `prefetch_related` cost ~29k Python calls per feed
        request, a third of it building a related manager and queryset per post; with dict
        rows the same request makes ~16k (cProfile, 20 posts, PostgreSQL).

        Each row has the columns of `POST_ROW_COLUMNS`, every annotation (counts,
        `liked_by_me`, a cursor's `liked_at`), `hashtag_names` (alphabetical) and
        `media_items` (display order, dicts of `MEDIA_ROW_COLUMNS`), `mentions` (dicts of
        `MENTION_ROW_COLUMNS`' keys) and, unless `nested` is false, `repost_of`/`quote_of`:
        the original's row (read by the same rule for the same viewer; its own originals are
        None) or None. On PostgreSQL the three lists are arrays inside the page query (one
        statement per page); elsewhere `PostRowIterable` fetches them by id (three more).
        The originals are one more page either way, so the count never depends on the
        page's length.
        """
        # Aliases (the feed's `feed_original`) filter, they are not columns.
        annotations = list(self.query.annotation_select)
        if connections[self.db].vendor != "postgresql":
            rows = self.values(*POST_ROW_COLUMNS, *annotations)
        else:
            rows = self._with_arrays().values(
                *POST_ROW_COLUMNS, *annotations, "hashtag_names", "media_items", "mentions"
            )
        # The attribute Django itself sets for values()/values_list() rows (internal, not
        # public API); clones keep it, so the paginator's order_by/filter/slice still yield
        # completed rows.
        rows._iterable_class = PostRowIterable
        rows._nested = nested
        return rows

    def _with_arrays(self):
        return self.annotate(
            hashtag_names=ArraySubquery(
                PostHashtag.objects.filter(post=OuterRef("pk"))
                .order_by("hashtag__name")
                .values("hashtag__name")
            ),
            media_items=ArraySubquery(
                Media.objects.filter(post=OuterRef("pk"))
                .order_by("position", "id")
                .values(item=JSONObject(**{name: name for name in MEDIA_ROW_COLUMNS}))
            ),
            mentions=ArraySubquery(
                PostMention.objects.shown()
                .filter(post=OuterRef("pk"))
                .order_by("id")
                .values(item=JSONObject(**MENTION_ROW_COLUMNS))
            ),
        )

    def feed_for(self, user):
        """The home timeline: posts and reposts by the accounts `user` follows, and `user`'s
        own, each original once: the newest of its occurrences (a later repost of it hides
        the post and earlier reposts). A filter on each row, not a pass over a page, so
        keyset pages stay exact: no gaps, no repeats."""
        followed = Follow.objects.filter(follower=user).values("followee")
        in_feed = Q(author__in=followed) | Q(author=user)
        newer_repost = (
            Post.objects.visible_to(user)
            .filter(in_feed, repost_of=OuterRef("feed_original"))
            .filter(
                Q(created_at__gt=OuterRef("created_at"))
                | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
            )
        )
        return (
            self.filter(in_feed)
            .alias(feed_original=Coalesce("repost_of_id", "id"))
            .filter(~Exists(newer_repost))
        )

    def bookmarked_by(self, user):
        """Posts `user` bookmarked, each with `bookmarked_at`, for ordering by that time."""
        return self.filter(bookmarks__user=user).annotate(bookmarked_at=F("bookmarks__created_at"))

    def liked_by(self, user):
        """Posts `user` liked, each with `liked_at`, for ordering by the time of the like."""
        return self.filter(likes__user=user).annotate(liked_at=F("likes__created_at"))

    def tagged(self, name: str):
        """Posts carrying the tag `name` (normalised: no `#`, lower case).

        The tag's id is looked up first and the posts filtered by a semi-join on the
        (hashtag, post) index: with a literal id PostgreSQL uses that tag's own statistics,
        so a frequent tag walks the newest-first index and stops after a page (2 ms at 200k
        posts) instead of reading and sorting every post of the tag (49 ms), which is what
        the join through the name (planned for an average tag) did.
        """
        tag_id = (
            Hashtag.objects.using(self.db)
            .filter(name=name.lstrip("#").lower())
            .values_list("id", flat=True)
            .first()
        )
        if tag_id is None:
            return self.none()
        return self.filter(id__in=PostHashtag.objects.filter(hashtag_id=tag_id).values("post_id"))


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    text = models.CharField(max_length=2000)
    hashtags = models.ManyToManyField(Hashtag, through="PostHashtag", related_name="posts")
    # A repost: empty text, shown with its original; deleted with it. Always an original,
    # never a repost (reposting a repost reposts its original).
    repost_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reposts",
        db_index=False,
    )
    # A quote: a post of its own about another; it stays when the quoted post goes.
    quote_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    # Not auto_now_add: a scheduled post's created_at is the moment it was published.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One repost per user and original: concurrent reposts settle on it.
            models.UniqueConstraint(
                fields=["author", "repost_of"],
                condition=Q(repost_of__isnull=False),
                name="post_one_repost_per_user",
            ),
        ]
        indexes = [
            # Keyset pagination of a user's posts and of the global timeline; the feed reads
            # the author index once per followed account.
            models.Index(
                F("author"), F("created_at").desc(), F("id").desc(), name="post_author_recent"
            ),
            models.Index(F("created_at").desc(), F("id").desc(), name="post_recent"),
            # An original's reposts, newest first (the reposters, the feed's one occurrence).
            models.Index(
                F("repost_of"),
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(repost_of__isnull=False),
                name="post_reposts_recent",
            ),
        ]

    def __str__(self):
        return f"Post {self.pk} by {self.author_id}"


class PostHashtag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, db_index=False)

    class Meta:
        constraints = [
            # Also the (hashtag_id, post_id) index that "posts with this tag" reads.
            models.UniqueConstraint(fields=["hashtag", "post"], name="posthashtag_unique"),
        ]

    def __str__(self):
        return f"{self.post_id} #{self.hashtag_id}"


class ScheduledPost(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled"
        PUBLISHED = "published"
        CANCELLED = "cancelled"
        FAILED = "failed"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scheduled_posts"
    )
    text = models.CharField(max_length=2000)
    publish_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # A published post can later be deleted by its author; the schedule then stays
    # `published` with `post` null (the documented "the published post's id, or null").
    post = models.OneToOneField(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scheduled_from",
    )
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["publish_at", "id"]
        indexes = [
            models.Index(fields=["author", "publish_at", "id"], name="scheduled_author_soonest"),
            # The beat sweep reads only pending rows; a partial index keeps it small.
            models.Index(
                fields=["publish_at"],
                condition=Q(status="scheduled"),
                name="scheduled_pending_due",
            ),
        ]

    def __str__(self):
        return f"Scheduled {self.pk} ({self.status}) at {self.publish_at:%Y-%m-%d %H:%M}"


class Media(models.Model):
    """An uploaded image: owned by its uploader until attached to one post or scheduled post."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media"
    )
    file = models.ImageField(upload_to=media_upload_path)
    thumbnail = models.ImageField(upload_to=thumbnail_upload_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    description = models.CharField(max_length=1500, blank=True)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="media"
    )
    scheduled_post = models.ForeignKey(
        ScheduledPost, on_delete=models.SET_NULL, null=True, blank=True, related_name="media"
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=True) | Q(scheduled_post__isnull=True),
                name="media_single_attachment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(post__isnull=True, scheduled_post__isnull=True),
                name="media_unattached_age",
            ),
        ]

    def __str__(self):
        return f"Media {self.pk}"


class Like(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index for "did this user like this post" (liked_by_me).
            models.UniqueConstraint(fields=["user", "post"], name="like_unique_pair"),
        ]
        indexes = [
            models.Index(
                F("user"), F("created_at").desc(), F("id").desc(), name="like_user_recent"
            ),
            models.Index(
                F("post"), F("created_at").desc(), F("id").desc(), name="like_post_recent"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} likes {self.post_id}"


class Bookmark(models.Model):
    """A private mark: only its user ever sees or counts it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_unique_pair"),
        ]
        indexes = [
            models.Index(
                F("user"), F("created_at").desc(), F("id").desc(), name="bookmark_user_recent"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} bookmarked {self.post_id}"


class MentionQuerySet(models.QuerySet):
    def shown(self):
        """The mentions the text makes now, of active accounts."""
        return self.filter(in_text=True, user__is_active=True)


class Mention(models.Model):
    """A user named with `@username` in a text. The row stays when an edit drops the name
    (`in_text` false): it is the record that the user was notified, so a name removed and
    written again does not notify twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    in_text = models.BooleanField(default=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        abstract = True


class PostMention(Mention):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="postmention_unique_pair"),
        ]

    def __str__(self):
        return f"{self.post_id} @{self.user_id}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Comments `viewer` may read: on posts they may read, by active accounts."""
        return self.filter(post__in=Post.objects.visible_to(viewer), author__is_active=True)

    def for_viewer(self, viewer):
        """What a comment is rendered from (`CommentSerializer`): the visible comments with
        their authors, counts, the viewer's like and the users they mention (one more query
        per page)."""
        comments = (
            self.visible_to(viewer)
            .select_related("author")
            .annotate(
                reply_count=count_subquery(
                    Comment.objects.filter(in_reply_to=OuterRef("pk"), author__is_active=True),
                    "in_reply_to",
                ),
                like_count=count_subquery(
                    CommentLike.objects.filter(comment=OuterRef("pk"), user__is_active=True),
                    "comment",
                ),
            )
            .prefetch_related(
                Prefetch(
                    "mention_rows",
                    queryset=CommentMention.objects.shown().select_related("user").order_by("id"),
                    to_attr="shown_mentions",
                )
            )
        )
        if viewer is not None and viewer.is_authenticated:
            comments = comments.annotate(
                liked_by_me=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user=viewer))
            )
        return comments

    def on_post(self, post):
        return self.filter(post=post)

    def top_level(self):
        return self.filter(in_reply_to__isnull=True)

    def replies_to(self, comment):
        return self.filter(in_reply_to=comment)


class Comment(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    # A reply to a comment on the same post; null for a top-level comment.
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        db_index=False,
    )
    # Empty for a tombstone: a deleted comment kept because replies hang from it.
    text = models.CharField(max_length=1000, blank=True)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_post_oldest"),
            models.Index(
                fields=["in_reply_to", "created_at", "id"],
                condition=Q(in_reply_to__isnull=False),
                name="comment_replies_oldest",
            ),
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.post_id}"


class CommentLike(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="commentlike_unique_pair"),
        ]

    def __str__(self):
        return f"{self.user_id} likes comment {self.comment_id}"


class CommentMention(Mention):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mention_rows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="commentmention_unique_pair"),
        ]

    def __str__(self):
        return f"{self.comment_id} @{self.user_id}"

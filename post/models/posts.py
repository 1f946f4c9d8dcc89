"""Posts: the post, its hashtag links, and `PostQuerySet`, every read of posts (visibility,
counts, the viewer's state, the feed); `rows` reads a page of them as dicts."""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from social_media.db import count_subquery
from user.models import Follow, account_visible, content_readable_by, unmuted_by

from .hashtags import Hashtag
from .rows import (
    MEDIA_ROW_COLUMNS,
    MENTION_ROW_COLUMNS,
    PAGE_KEY_COLUMNS,
    PostRowIterable,
    assemble_rows,
)

# The models of `media`, `interactions` and `comments` are imported inside the functions that
# read them: those modules import Post for their foreign keys (see `__init__`).


class PostQuerySet(models.QuerySet):
    """Every read of posts starts from `visible_to`, so a later visibility rule (blocks,
    private accounts) changes one function; counts and viewer state live here once too."""

    # Who the rows are read for (see `PostRowIterable`); kept through every clone so the
    # paginator's slices still know it.
    _viewer = None
    # `for_viewer`'s queryset, the rule the originals of a page's rows are read by (the page
    # query itself narrows it further); built once per request.
    _readable = None
    # Read for a timeline (`unmuted_by`): a muted account's quoted originals are null too.
    _unmuted = False
    # Whose feed this is (`feed_for`): its page may be read per author (`feed_pages`).
    _feed_user = None

    def _clone(self):
        clone = super()._clone()
        clone._viewer, clone._unmuted = self._viewer, self._unmuted
        clone._readable, clone._feed_user = self._readable, self._feed_user
        return clone

    def visible_to(self, viewer):
        """The visibility rule alone: the posts `viewer` may read (see `content_readable_by`:
        active authors, no block either way, private accounts for their followers). A repost
        is readable when its original is too. Writes (like, comment, edit, delete) need no
        more than this row."""
        return self.filter(
            content_readable_by(viewer, "author"),
            Q(repost_of__isnull=True) | content_readable_by(viewer, "repost_of__author"),
        )

    def unmuted_by(self, viewer):
        """Without the posts and reposts of accounts `viewer` mutes: the feed, `/posts/`,
        hashtags and search apply it; a profile and a direct link do not. Their posts quoted
        by others are null in its rows (`PostRowIterable`)."""
        # No mutes is no condition at all (an empty Q would turn `A | Q()` into `A`).
        rule = unmuted_by(viewer, "author")
        posts = self.all()
        if rule:
            posts = posts.filter(
                rule, Q(repost_of__isnull=True) | unmuted_by(viewer, "repost_of__author")
            )
        posts._unmuted = True
        return posts

    def for_viewer(self, viewer):
        """What a post is rendered from: the visible posts, read for `viewer`; `as_rows()`
        then reads a page of them with author, counts, `viewer`'s state, hashtags, media and
        originals in a fixed number of queries, and `PostSerializer` renders the rows."""
        posts = self.visible_to(viewer)
        posts._viewer, posts._readable = viewer, posts
        return posts

    def live_counts(self) -> dict:
        """What each counter must hold, counted from the rows (a correlated subquery per
        counter): likes, comments and reposts by active accounts (what a suspended account
        did leaves the totals, and comes back with it), and bookmarks. `manage.py recount`
        compares the counters with these and repairs them."""
        from .comments import Comment
        from .interactions import Bookmark, Like

        return {
            "like_count": count_subquery(
                Like.objects.filter(post=OuterRef("pk"), user__is_active=True), "post"
            ),
            "comment_count": count_subquery(
                Comment.objects.filter(post=OuterRef("pk"), author__is_active=True), "post"
            ),
            "repost_count": count_subquery(
                Post.objects.filter(repost_of=OuterRef("pk"), author__is_active=True),
                "repost_of",
            ),
            "bookmark_count": count_subquery(
                Bookmark.objects.filter(post=OuterRef("pk"), user__is_active=True), "post"
            ),
        }

    def with_viewer_state(self, viewer):
        from .interactions import Bookmark, Like

        if viewer is None or not viewer.is_authenticated:
            return self
        return self.annotate(
            liked_by_me=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            reposted_by_me=Exists(Post.objects.filter(repost_of=OuterRef("pk"), author=viewer)),
            # Bookmarks are private: only ever the viewer's own.
            bookmarked_by_me=Exists(Bookmark.objects.filter(post=OuterRef("pk"), user=viewer)),
        )

    def as_rows(self):
        """The posts as plain dicts, what `PostSerializer` renders.

        A page of model instances with `prefetch_related` cost ~29k Python calls per feed
        request, a third of it building a related manager and queryset per post; dict rows
        cost about half (bench/analysis.md).

        Each row has the columns of `POST_ROW_COLUMNS`, the viewer's state (`liked_by_me`,
        ...; absent when anonymous), every annotation of this queryset (a like's
        `liked_at`), `hashtag_names` (alphabetical), `media_items` (display order, dicts of
        `MEDIA_ROW_COLUMNS`), `mentions` (dicts of `MENTION_ROW_COLUMNS`' keys) and
        `repost_of`/`quote_of`: the original's row (read by the same rule for the same
        viewer; its own originals are None) or None. Two statements on PostgreSQL, five
        elsewhere, whatever the page's length (see `PostRowIterable`).
        """
        # Aliases (the feed's `feed_original`) filter, they are not columns.
        keys = self.values(*PAGE_KEY_COLUMNS, *self.query.annotation_select)
        # The attribute Django itself sets for values()/values_list() rows (internal, not
        # public API); clones keep it, so the paginator's order_by/filter/slice still yield
        # whole rows.
        keys._iterable_class = PostRowIterable
        return keys

    def rows_of(self, posts) -> list[dict]:
        """The rows of these posts (model instances, e.g. one a service just wrote), as
        `as_rows()` gives them but without a page query: their originals' ids are on the
        instances, so one statement (four on SQLite) reads them all, each by the rule of
        `for_viewer`. A post that is gone or that the viewer may not read is left out."""
        keys = [
            {
                "id": post.pk,
                "created_at": post.created_at,
                "repost_of_id": post.repost_of_id,
                "quote_of_id": post.quote_of_id,
            }
            for post in posts
        ]
        return list(assemble_rows(self, keys, checked=set())) if keys else []

    def _with_arrays(self):
        from .interactions import PostMention
        from .media import Media

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
                .filter(account_visible(self._viewer, "user"), post=OuterRef("pk"))
                .order_by("id")
                .values(item=JSONObject(**MENTION_ROW_COLUMNS))
            ),
        )

    def feed_for(self, user):
        """The home timeline: posts and reposts by the accounts `user` follows, and `user`'s
        own, less what `user` mutes, each original once: the newest of its occurrences (a
        later repost of it hides the post and earlier reposts). A filter on each row, not a
        pass over a page, so keyset pages stay exact: no gaps, no repeats."""
        followed = Follow.objects.filter(follower=user).values("followee")
        in_feed = Q(author__in=followed) | Q(author=user)
        # The rule, narrowed to what can differ between a row and a newer repost of its
        # original in the same feed: the reposter's account (an author `user` follows or is
        # is readable by definition) and mutes. The original is the row's own, which passed.
        newer_repost = (
            Post.objects.filter(account_visible(user, "author"), unmuted_by(user, "author"))
            .filter(in_feed, repost_of=OuterRef("feed_original"))
            .filter(
                Q(created_at__gt=OuterRef("created_at"))
                | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
            )
        )
        posts = (
            self.filter(in_feed)
            .unmuted_by(user)
            .alias(feed_original=Coalesce("repost_of_id", "id"))
            .filter(~Exists(newer_repost))
        )
        posts._feed_user = user
        return posts

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
    # Totals read for free: written with F() in the transaction of their cause, equal to
    # `with_live_counts()`, repaired by `manage.py recount` (post/services/counters.py).
    # Bookmarks are private: their total is kept, never shown.
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    repost_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)

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
            # Covering: the feed and `/posts/` walk it newest first and keep the rows whose
            # author qualifies, so with the author (and what the page query returns) in the
            # index that walk reads no table pages (bench/analysis.md, "Two statements").
            models.Index(
                fields=["-created_at", "-id"],
                include=["author", "repost_of", "quote_of"],
                name="post_recent",
            ),
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

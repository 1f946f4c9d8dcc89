"""Posts: the one way a post comes into being, its edits and its deletion.

Every new post, whether written through the API, published from a schedule or seeded, is
made by `posts_create`, so whatever follows from a post existing happens exactly once per
post, in one place: `_posts_created`.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.http import Http404

from post.feed_cache import feed_cache_invalidate
from post.hashtags import parse_hashtags
from post.models import Hashtag, Media, Post, PostHashtag, ScheduledPost
from post.services.mentions import mentions_link_posts, mentions_set_post
from post.services.notify import notify_quotes, notify_repost
from social_media.counters import counter_add, counter_add_to_many, counters_set
from social_media.files import delete_files_on_commit
from user.models import UserStats

if TYPE_CHECKING:
    from user.models import User

MAX_MEDIA_PER_POST = 4


@dataclass(frozen=True, kw_only=True)
class PostDraft:
    """A post to create. Its media come either from the author's unattached uploads
    (`media_ids`, attached in that order) or, when a scheduled post is published, from that
    scheduled post (`media_of_scheduled_post`, its id; positions kept)."""

    author: "User"
    text: str
    media_ids: Sequence[int] = ()
    # Only for a scheduled post that has uploads: moving them is a query.
    media_of_scheduled_post: int | None = None
    # Defaults to now; a published scheduled post's is the moment of publication.
    created_at: datetime | None = None
    # A repost (empty text) of this original, or a quote of this post: ids of originals,
    # never of reposts (the callers resolve a repost to its original).
    repost_of: int | None = None
    quote_of: int | None = None


@transaction.atomic
def posts_create(*, drafts: Sequence[PostDraft]) -> list[Post]:
    """Create posts, in the drafts' order, with their hashtags, media and side effects.

    A constant number of statements whatever the number of drafts (plus one conditional
    UPDATE per upload claimed through `media_ids`): the scheduled-post publisher creates a
    burst of posts in one call. Raises ValidationError (all or nothing) when an upload cannot
    be claimed.
    """
    if not drafts:
        return []
    quoted_authors = _originals_lock(drafts)
    posts = _posts_insert(drafts)
    _link_hashtags(posts)
    for draft, post in zip(drafts, posts, strict=True):
        if draft.media_ids:
            media_attach(owner=draft.author, media_ids=draft.media_ids, post=post)
    _media_move_from_scheduled(drafts, posts)
    _posts_created(posts, original_authors=quoted_authors)
    return posts


def post_create(
    *,
    author,
    text: str,
    media_ids: Sequence[int] = (),
    created_at: datetime | None = None,
    quote_of: int | None = None,
) -> Post:
    [post] = posts_create(
        drafts=[
            PostDraft(
                author=author,
                text=text,
                media_ids=media_ids,
                created_at=created_at,
                quote_of=quote_of,
            )
        ]
    )
    return post


def _originals_lock(drafts: Sequence[PostDraft]) -> dict[int, int]:
    """Lock the posts the drafts repost or quote; their authors by id.

    The lock (FOR NO KEY UPDATE, which a deletion's FOR UPDATE waits for) makes a deletion of
    the original either wait for this creation, and then delete the reposts and clear the
    quotes it sees, or happen first, and then this is a clean refusal instead of a dangling
    reference or a failed commit (a 500). A deleted quoted post is a `ValidationError` on
    `quote_of`, a deleted reposted one `Post.DoesNotExist` (a 404 for the reposter).
    """
    wanted = {draft.repost_of for draft in drafts} | {draft.quote_of for draft in drafts}
    wanted.discard(None)
    if not wanted:
        return {}
    authors = dict(
        Post.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=sorted(wanted), author__is_active=True)
        .values_list("id", "author_id")
    )
    for draft in drafts:
        if draft.repost_of is not None and draft.repost_of not in authors:
            raise Post.DoesNotExist("The post no longer exists.")
        if draft.quote_of is not None and draft.quote_of not in authors:
            raise ValidationError({"quote_of": "This post no longer exists."})
    return authors


def _posts_created(posts: list[Post], *, original_authors: dict[int, int]) -> None:
    """What follows from new posts existing, whichever way they were made: the one place for
    it (mentions and notifications). Runs in the creating transaction, so anything outside
    the database must wait for the commit (`transaction.on_commit`)."""
    mentions_link_posts(posts)
    for post in posts:
        if post.repost_of_id is not None:
            notify_repost(
                original_id=post.repost_of_id,
                original_author_id=original_authors[post.repost_of_id],
                user_id=post.author_id,
            )
    notify_quotes(
        quotes=[
            (original_authors[post.quote_of_id], post.author_id, post.pk)
            for post in posts
            if post.quote_of_id is not None
        ]
    )
    _posts_counted(posts)
    author_ids = {post.author_id for post in posts}
    # The authors' own posts show at once in their cached feed pages; a rolled-back creation
    # drops the callback with its savepoint. Robust: a cache outage must not fail a commit
    # that has already happened (see feed_cache_invalidate).
    transaction.on_commit(lambda: feed_cache_invalidate(user_ids=author_ids), robust=True)


def _posts_counted(posts: list[Post]) -> None:
    """The authors' `posts_count` and the reposted originals' `repost_count`: one UPDATE
    each, whatever the size of the batch."""
    counter_add_to_many(UserStats, "posts_count", Counter(post.author_id for post in posts))
    counter_add_to_many(Post, "repost_count", Counter(post.repost_of_id for post in posts))


def _posts_insert(drafts: Sequence[PostDraft]) -> list[Post]:
    posts = [
        Post(
            author=draft.author,
            text=draft.text,
            repost_of_id=draft.repost_of,
            quote_of_id=draft.quote_of,
        )
        for draft in drafts
    ]
    for draft, post in zip(drafts, posts, strict=True):
        if draft.created_at is not None:
            post.created_at = draft.created_at
    # bulk_create even for one post, so that one post and a burst take the same path (no
    # post_save signal either way: side effects go in `_posts_created`).
    if connection.features.can_return_rows_from_bulk_insert:
        return Post.objects.bulk_create(posts)
    # A database that cannot return the new ids of a bulk insert (SQLite < 3.35).
    for post in posts:
        post.save(force_insert=True)
    return posts


def _media_move_from_scheduled(drafts: Sequence[PostDraft], posts: list[Post]) -> None:
    post_of = {
        draft.media_of_scheduled_post: post.pk
        for draft, post in zip(drafts, posts, strict=True)
        if draft.media_of_scheduled_post is not None
    }
    if not post_of:
        return
    # One UPDATE for the whole batch; positions stay as they were: the order the author chose.
    Media.objects.filter(scheduled_post_id__in=post_of).update(
        post_id=Case(*(When(scheduled_post_id=sp, then=Value(pk)) for sp, pk in post_of.items())),
        scheduled_post=None,
    )


@transaction.atomic
def post_update(*, post: Post, text: str) -> Post:
    """Raises Http404 when the post was deleted after the caller loaded it."""
    # Lock the row: a delete (which locks it too) then either waits for this edit or has
    # already removed the row, which is a 404 here instead of a failed save (a 500).
    # NO KEY UPDATE, like the UPDATE itself: likes and comments being added do not wait.
    if not Post.objects.select_for_update(no_key=True).filter(pk=post.pk).exists():
        raise Http404("This post no longer exists.")
    if post.repost_of_id is not None:
        raise ValidationError({"text": "A repost has no text to edit."})
    post.text = text
    post.save(update_fields=["text", "updated_at"])
    _set_hashtags(post)
    mentions_set_post(post)
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    # Lock the row first: a like or comment being inserted holds a key-share lock on it, so
    # this waits for it to commit (and the cascade below sees it), and later inserts wait for
    # the delete and then fail their foreign key (a 404). Without the lock, a comment
    # committed between the cascade's SELECT and the DELETE made the commit fail: a 500.
    if Post.objects.select_for_update().filter(pk=post.pk).values_list("pk").first() is None:
        return  # deleted meanwhile: its totals went with that deletion
    files = media_files(Media.objects.filter(post=post))
    # Its reposts go with it (the cascade): their authors' totals are set again after.
    reposters = list(Post.objects.filter(repost_of=post).values_list("author_id", flat=True))
    post.delete()
    counter_add(UserStats, post.author_id, posts_count=-1)
    counter_add(Post, post.repost_of_id, repost_count=-1)
    counters_set(UserStats, reposters)
    delete_files_on_commit(files)


def media_attach(
    *,
    owner,
    media_ids: Sequence[int],
    post: Post | None = None,
    scheduled_post: ScheduledPost | None = None,
) -> None:
    """Attach the owner's unattached uploads, in the given order, to a post or scheduled post.

    Each row is claimed with a conditional UPDATE, so when two requests race for the same
    upload the database lets exactly one of them have it; the loser's whole transaction
    rolls back with a 400 on `media_ids`.
    """
    if len(media_ids) > MAX_MEDIA_PER_POST:
        raise ValidationError({"media_ids": f"At most {MAX_MEDIA_PER_POST} media per post."})
    if len(set(media_ids)) != len(media_ids):
        raise ValidationError({"media_ids": "The same media is listed twice."})
    for position, media_id in enumerate(media_ids):
        claimed = Media.objects.filter(
            id=media_id, owner=owner, post__isnull=True, scheduled_post__isnull=True
        ).update(post=post, scheduled_post=scheduled_post, position=position)
        if claimed != 1:
            raise ValidationError(
                {"media_ids": f"Media {media_id} is not an unattached upload of yours."}
            )


def media_files(media_rows) -> list[str]:
    names = []
    for file, thumbnail in media_rows.values_list("file", "thumbnail"):
        names.extend(name for name in (file, thumbnail) if name)
    return names


def _set_hashtags(post: Post) -> None:
    names = parse_hashtags(post.text)
    tag_ids = set(_hashtag_ids(names).values())
    current = set(PostHashtag.objects.filter(post=post).values_list("hashtag_id", flat=True))
    PostHashtag.objects.filter(post=post, hashtag_id__in=current - tag_ids).delete()
    PostHashtag.objects.bulk_create(
        [PostHashtag(post=post, hashtag_id=tag_id) for tag_id in tag_ids - current]
    )


def _link_hashtags(posts: Sequence[Post]) -> None:
    """Tag freshly inserted posts (saved, no links yet) in a constant number of queries; an
    edit re-tags its post with `_set_hashtags`."""
    names_per_post = [(post, parse_hashtags(post.text)) for post in posts]
    tag_ids = _hashtag_ids({name for _, names in names_per_post for name in names})
    PostHashtag.objects.bulk_create(
        [
            PostHashtag(post=post, hashtag_id=tag_ids[name])
            for post, names in names_per_post
            for name in names
        ]
    )


def _hashtag_ids(names) -> dict[str, int]:
    """Name → id, creating the missing tags."""
    if not names:
        return {}
    # Sorted: concurrent inserts of overlapping new tags take the unique-index locks in the
    # same order, so two publishers wait for each other instead of deadlocking.
    # ignore_conflicts: two posts introducing the same new tag at once both succeed.
    Hashtag.objects.bulk_create(
        [Hashtag(name=name) for name in sorted(names)], ignore_conflicts=True
    )
    return dict(Hashtag.objects.filter(name__in=names).values_list("name", "id"))

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from post.hashtags import parse_hashtags
from post.models import Hashtag, Media, Post, PostHashtag, ScheduledPost
from social_media.files import delete_files_on_commit

MAX_MEDIA_PER_POST = 4


@transaction.atomic
def post_create(
    *, author, text: str, media_ids: Sequence[int] = (), created_at: datetime | None = None
) -> Post:
    post = Post(author=author, text=text)
    if created_at is not None:
        post.created_at = created_at
    post.save()
    _set_hashtags(post)
    media_attach(owner=author, media_ids=media_ids, post=post)
    return post


@transaction.atomic
def post_update(*, post: Post, text: str) -> Post:
    """Raises Http404 when the post was deleted after the caller loaded it."""
    # Lock the row: a delete (which locks it too) then either waits for this edit or has
    # already removed the row, which is a 404 here instead of a failed save (a 500).
    # NO KEY UPDATE, like the UPDATE itself: likes and comments being added do not wait.
    if not Post.objects.select_for_update(no_key=True).filter(pk=post.pk).exists():
        raise Http404("This post no longer exists.")
    post.text = text
    post.save(update_fields=["text", "updated_at"])
    _set_hashtags(post)
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    # Lock the row first: a like or comment being inserted holds a key-share lock on it, so
    # this waits for it to commit (and the cascade below sees it), and later inserts wait for
    # the delete and then fail their foreign key (a 404). Without the lock, a comment
    # committed between the cascade's SELECT and the DELETE made the commit fail: a 500.
    Post.objects.select_for_update().filter(pk=post.pk).values_list("pk").first()
    files = media_files(Media.objects.filter(post=post))
    post.delete()
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
    """Tag many freshly inserted posts (saved, no links yet) in a constant number of queries.

    The batch counterpart of `_set_hashtags` for the scheduled-post publisher.
    """
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

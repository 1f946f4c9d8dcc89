"""Reposts and bookmarks: a post shown again by someone else, and a private mark on a post."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from post.models import Bookmark, Post
from post.services.interactions import pair_check_open
from post.services.notify import withdraw_repost
from post.services.posts import PostDraft, posts_create
from social_media.counters import counter_add
from social_media.db import insert_or_nothing
from user.models import UserStats


def original_of(post: Post) -> int:
    """Reposting or quoting a repost is about its original."""
    return post.repost_of_id or post.pk


PRIVATE_POST = "Posts of a private account cannot be reposted."


def repost_check_allowed(*, user, original: Post) -> None:
    """Who may repost what: a private account's posts stay with its followers, so they
    cannot be reposted, even by a follower who sees them (a 403)."""
    if original.author.is_private:
        raise PermissionDenied(PRIVATE_POST)


def repost_create(*, user, post: Post) -> tuple[Post, bool]:
    """Repost `post` (its original, if it is a repost) once; the repost and whether this
    call created it. Raises `Post.DoesNotExist` when the original was deleted meanwhile.

    Inside the transaction the original's row is locked (see `posts_create`), so concurrent
    reposts by one user wait for each other and the later ones find the first: one row.
    """
    original_id = original_of(post)
    author_id = Post.objects.filter(pk=original_id).values_list("author_id", flat=True).first()
    if author_id is None:
        raise Post.DoesNotExist("The post no longer exists.")
    try:
        with transaction.atomic():
            pair_check_open(user_id=user.pk, author_id=author_id, missing=Post.DoesNotExist)
            original = (
                Post.objects.select_for_update(no_key=True, of=("self",))
                .select_related("author")
                .filter(pk=original_id, author__is_active=True)
                .first()
            )
            if original is None:
                raise Post.DoesNotExist("The post no longer exists.")
            repost_check_allowed(user=user, original=original)
            existing = Post.objects.filter(author=user, repost_of=original).first()
            if existing is not None:
                return existing, False
            [repost] = posts_create(drafts=[PostDraft(author=user, text="", repost_of=original_id)])
            return repost, True
    except IntegrityError:
        # Where row locks do not exist (SQLite serialises writers instead), the unique
        # constraint still settles it.
        existing = Post.objects.filter(author=user, repost_of_id=original_id).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def repost_delete(*, user, post: Post) -> None:
    """Idempotent: undoing a repost that does not exist leaves the same state."""
    original_id = original_of(post)
    deleted, _ = Post.objects.filter(author=user, repost_of_id=original_id).delete()
    counter_add(Post, original_id, repost_count=-deleted)
    counter_add(UserStats, user.pk, posts_count=-deleted)
    if deleted:
        author_id = Post.objects.filter(pk=original_id).values_list("author_id", flat=True)
        withdraw_repost(
            original_id=original_id, original_author_id=author_id.first(), user_id=user.pk
        )


def bookmark_create(*, user, post: Post) -> bool:
    """Bookmark once; True when this call created it (one statement, as `like_create`)."""
    try:
        with transaction.atomic(savepoint=False):
            created = insert_or_nothing(Bookmark, unique=("user", "post"), user=user, post=post)
            if created:
                counter_add(Post, post.pk, bookmark_count=1)
        return created
    except IntegrityError:
        if Post.objects.filter(pk=post.pk).exists():
            raise
        raise Post.DoesNotExist("The post no longer exists.") from None


@transaction.atomic(savepoint=False)
def bookmark_delete(*, user, post: Post) -> None:
    deleted, _ = Bookmark.objects.filter(user=user, post=post).delete()
    counter_add(Post, post.pk, bookmark_count=-deleted)

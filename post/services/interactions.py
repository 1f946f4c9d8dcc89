from django.db import IntegrityError, transaction

from post.models import Comment, Like, Post
from social_media.exceptions import Conflict

# Each retry needs another request to change the same like in between: a few are plenty.
LIKE_ATTEMPTS = 5


def like_create(*, user, post: Post) -> tuple[Like, bool]:
    """Like `post` once; `created` is False when the like already existed.

    Concurrent duplicates: the unique (user, post) constraint lets one insert win, and
    `get_or_create` turns the loser's IntegrityError into a read of the winner's row. That
    read finds nothing when a concurrent unlike deleted the row in between, and the insert
    also fails when the post itself was deleted (PostgreSQL checks the foreign key at
    commit); so on an IntegrityError the post decides: gone → `Post.DoesNotExist`,
    still there → try again.
    """
    for _ in range(LIKE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Like.objects.get_or_create(user=user, post=post)
        except IntegrityError:
            if not Post.objects.filter(pk=post.pk).exists():
                raise Post.DoesNotExist("The post no longer exists.") from None
    raise Conflict("The like changed concurrently too many times; try again.")


def like_delete(*, user, post: Post) -> None:
    """Idempotent: unliking a post that is not liked leaves the same state."""
    Like.objects.filter(user=user, post=post).delete()


def comment_create(*, author, post: Post, text: str) -> Comment:
    """Raises `Post.DoesNotExist` when the post is deleted meanwhile (see `like_create`)."""
    try:
        with transaction.atomic():
            return Comment.objects.create(author=author, post=post, text=text)
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


def comment_update(*, comment: Comment, text: str) -> Comment:
    comment.text = text
    comment.save(update_fields=["text", "updated_at"])
    return comment


def comment_delete(*, comment: Comment) -> None:
    comment.delete()

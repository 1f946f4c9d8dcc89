from django.db import IntegrityError, transaction

from post.models import Comment, Like, Post


def like_create(*, user, post: Post) -> tuple[Like, bool]:
    """Like `post` once; `created` is False when the like already existed.

    Concurrent duplicates: the unique (user, post) constraint lets one insert win, and
    `get_or_create` turns the loser's IntegrityError into a read of the winner's row.
    Raises `Post.DoesNotExist` when the post is deleted meanwhile: PostgreSQL checks the
    foreign key at commit, which is where that IntegrityError surfaces.
    """
    try:
        with transaction.atomic():
            return Like.objects.get_or_create(user=user, post=post)
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


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

from django.db import IntegrityError, transaction
from django.http import Http404

from notifications.models import NotificationType
from notifications.services import notification_create, notification_withdraw
from post.models import Comment, Like, Post
from social_media.db import insert_or_nothing


def like_create(*, user, post: Post) -> bool:
    """Like `post` once; True when this call created the like, False when it existed.

    One statement (`insert_or_nothing`): concurrent duplicates and a racing unlike need no
    retry. Call it outside a transaction, as the view does: a post deleted meanwhile then
    fails the like's foreign key here, and becomes `Post.DoesNotExist`.
    """
    try:
        # The like and its notification commit together: one more statement, no savepoint.
        # The foreign keys are checked at this block's commit, still inside the `try`.
        with transaction.atomic(savepoint=False):
            created = insert_or_nothing(Like, unique=("user", "post"), user=user, post=post)
            if created:
                notification_create(
                    recipient_id=post.author_id,
                    type=NotificationType.LIKE,
                    actor_id=user.pk,
                    post_id=post.pk,
                )
        return created
    except IntegrityError:
        # Within an enclosing transaction the foreign keys wait for its commit, so the error
        # is another constraint's (and that transaction can run no query until it ends).
        if transaction.get_connection().in_atomic_block or Post.objects.filter(pk=post.pk).exists():
            raise
        raise Post.DoesNotExist("The post no longer exists.") from None


@transaction.atomic(savepoint=False)
def like_delete(*, user, post: Post) -> None:
    """Idempotent: unliking a post that is not liked leaves the same state. An unread `like`
    notification goes with the like (liking again notifies again, once)."""
    Like.objects.filter(user=user, post=post).delete()
    notification_withdraw(
        recipient_id=post.author_id, type=NotificationType.LIKE, actor_id=user.pk, post_id=post.pk
    )


def comment_create(*, author, post: Post, text: str) -> Comment:
    """Raises `Post.DoesNotExist` when the post is deleted meanwhile (see `like_create`)."""
    try:
        with transaction.atomic():
            comment = Comment.objects.create(author=author, post=post, text=text)
            notification_create(
                recipient_id=post.author_id,
                type=NotificationType.COMMENT,
                actor_id=author.pk,
                post_id=post.pk,
                comment_id=comment.pk,
            )
            return comment
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


@transaction.atomic
def comment_update(*, comment: Comment, text: str) -> Comment:
    """Raises Http404 when the comment, or its post, was deleted after the caller loaded it."""
    # Lock the row, as `post_update` does: a deletion of the comment or of its post (whose
    # cascade deletes the comment) either waits for this edit or has removed the row already.
    if not Comment.objects.select_for_update(no_key=True).filter(pk=comment.pk).exists():
        raise Http404("This comment no longer exists.")
    comment.text = text
    comment.save(update_fields=["text", "updated_at"])
    return comment


def comment_delete(*, comment: Comment) -> None:
    comment.delete()

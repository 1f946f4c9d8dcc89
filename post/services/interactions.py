from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from post.models import Comment, CommentLike, CommentMention, Like, Post
from post.services.mentions import mentions_set_comment
from post.services.notify import (
    notify_comment,
    notify_comment_like,
    notify_like,
    notify_reply,
    withdraw_comment_like,
    withdraw_like,
)
from social_media.counters import counter_add, counters_set
from social_media.db import insert_or_nothing, pair_lock
from user.models import account_visible
from user.services.relationships import block_between


def pair_check_open(*, user_id: int, author_id: int, missing: type[Exception]) -> None:
    """Under the pair's lock, refuse a write across a block as if its object were gone (it
    is, for the writer): a block committed a moment ago is seen here, and a block that comes
    later waits for this write and then removes it. Call it first in the transaction."""
    if user_id == author_id:
        return
    pair_lock(user_id, author_id)
    if block_between(user_id, author_id) is not None:
        raise missing("The author and you block one another.")


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
            pair_check_open(user_id=user.pk, author_id=post.author_id, missing=Post.DoesNotExist)
            created = insert_or_nothing(Like, unique=("user", "post"), user=user, post=post)
            if created:
                counter_add(Post, post.pk, like_count=1)
                notify_like(post=post, user_id=user.pk)
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
    deleted, _ = Like.objects.filter(user=user, post=post).delete()
    counter_add(Post, post.pk, like_count=-deleted)
    withdraw_like(post=post, user_id=user.pk)


def comment_create(*, author, post: Post, text: str, in_reply_to: int | None = None) -> Comment:
    """A comment, or a reply to `in_reply_to` (a comment on the same post; otherwise a
    ValidationError). Raises `Post.DoesNotExist` when the post is deleted meanwhile (see
    `like_create`)."""
    try:
        with transaction.atomic():
            pair_check_open(user_id=author.pk, author_id=post.author_id, missing=Post.DoesNotExist)
            parent = None
            if in_reply_to is not None:
                # Locked as `comment_delete` locks it: a deletion either waits for this reply
                # (and keeps the comment as a tombstone) or has happened (a 400 here).
                parent = (
                    Comment.objects.select_for_update(no_key=True, of=("self",))
                    .filter(account_visible(author, "author"))
                    .filter(pk=in_reply_to, post=post, deleted=False)
                    .first()
                )
                if parent is None:
                    raise ValidationError({"in_reply_to": "Not a comment on this post."})
            comment = Comment.objects.create(
                author=author, post=post, text=text, in_reply_to=parent
            )
            counter_add(Post, post.pk, comment_count=1)
            if parent is not None:
                counter_add(Comment, parent.pk, reply_count=1)
            mentions_set_comment(comment)
            if parent is not None:
                notify_reply(reply=comment, parent_author_id=parent.author_id)
            if parent is None or parent.author_id != post.author_id:
                # The post's author hears of a reply to their own comment once, as a reply.
                notify_comment(comment=comment, post_author_id=post.author_id)
            return comment
    except IntegrityError:
        raise Post.DoesNotExist("The post no longer exists.") from None


@transaction.atomic
def comment_update(*, comment: Comment, text: str) -> Comment:
    """Raises Http404 when the comment, or its post, was deleted after the caller loaded it."""
    # Lock the row, as `post_update` does: a deletion of the comment or of its post (whose
    # cascade deletes the comment) either waits for this edit or has removed the row already.
    if (
        not Comment.objects.select_for_update(no_key=True)
        .filter(pk=comment.pk, deleted=False)
        .exists()
    ):
        raise Http404("This comment no longer exists.")
    comment.text = text
    comment.save(update_fields=["text", "updated_at"])
    mentions_set_comment(comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Remove the comment; one with replies stays as a tombstone (empty text, `deleted`)
    so that its thread still reads. A tombstone whose last reply goes is removed too."""
    # FOR UPDATE: a reply being written (which holds the parent's NO KEY UPDATE lock) commits
    # first and is seen below, and later replies wait and then find the tombstone.
    current = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    removed_from = []  # the parents that lost a reply
    while current is not None:
        if Comment.objects.filter(in_reply_to=current).exists():
            if not current.deleted:
                Comment.objects.filter(pk=current.pk).update(text="", deleted=True)
                CommentMention.objects.filter(comment=current).update(in_text=False)
            break
        parent_id = current.in_reply_to_id
        current.delete()
        removed_from.append(parent_id)
        current = (
            Comment.objects.select_for_update().filter(pk=parent_id, deleted=True).first()
            if parent_id is not None
            else None
        )
    # A tombstone counts as the comment it was (its thread still reads); what was removed
    # leaves the totals, set again from the rows.
    counters_set(Post, [comment.post_id])
    counters_set(Comment, removed_from)


def comment_like_create(*, user, comment: Comment) -> bool:
    """Like a comment once; True when this call created the like (see `like_create`).
    Raises `Comment.DoesNotExist` when the comment was deleted meanwhile."""
    try:
        with transaction.atomic():
            pair_check_open(
                user_id=user.pk, author_id=comment.author_id, missing=Comment.DoesNotExist
            )
            created = insert_or_nothing(
                CommentLike, unique=("user", "comment"), user=user, comment=comment
            )
            if created:
                counter_add(Comment, comment.pk, like_count=1)
                notify_comment_like(comment=comment, user_id=user.pk)
            return created
    except IntegrityError:
        if Comment.objects.filter(pk=comment.pk).exists():
            raise
        raise Comment.DoesNotExist("The comment no longer exists.") from None


@transaction.atomic
def comment_like_delete(*, user, comment: Comment) -> None:
    deleted, _ = CommentLike.objects.filter(user=user, comment=comment).delete()
    counter_add(Comment, comment.pk, like_count=-deleted)
    if deleted:
        withdraw_comment_like(comment=comment, user_id=user.pk)

"""What the post app tells the notifications app: one function per cause, each called inside
the transaction of its cause (so a rolled-back cause notifies nobody). Who may be notified
(not oneself, later blocks and mutes) is the notifications app's rule, not decided here."""

from collections.abc import Iterable

from notifications.services import (
    NotificationDraft,
    notification_create,
    notification_withdraw,
    notifications_create,
)

MENTION, REPLY, COMMENT_LIKE, REPOST, QUOTE = "mention", "reply", "comment_like", "repost", "quote"


def notify_mentions(*, mentions: Iterable[tuple[int, int, int, int | None]]) -> None:
    """`mentions`: (mentioned user, author, post, comment or None), any number in one
    statement."""
    notifications_create(
        drafts=[
            NotificationDraft(
                recipient_id=recipient_id,
                type=MENTION,
                actor_id=actor_id,
                post_id=post_id,
                comment_id=comment_id,
            )
            for recipient_id, actor_id, post_id, comment_id in mentions
        ]
    )


def notify_reply(*, reply, parent_author_id: int) -> None:
    notification_create(
        recipient_id=parent_author_id,
        type=REPLY,
        actor_id=reply.author_id,
        post_id=reply.post_id,
        comment_id=reply.pk,
    )


def notify_comment_like(*, comment, user_id: int) -> None:
    notification_create(
        recipient_id=comment.author_id,
        type=COMMENT_LIKE,
        actor_id=user_id,
        post_id=comment.post_id,
        comment_id=comment.pk,
    )


def withdraw_comment_like(*, comment, user_id: int) -> None:
    notification_withdraw(
        recipient_id=comment.author_id,
        type=COMMENT_LIKE,
        actor_id=user_id,
        post_id=comment.post_id,
        comment_id=comment.pk,
    )


def notify_repost(*, original_id: int, original_author_id: int, user_id: int) -> None:
    # About the original (what was reposted), once per reposter however often they redo it.
    notification_create(
        recipient_id=original_author_id, type=REPOST, actor_id=user_id, post_id=original_id
    )


def withdraw_repost(*, original_id: int, original_author_id: int, user_id: int) -> None:
    notification_withdraw(
        recipient_id=original_author_id, type=REPOST, actor_id=user_id, post_id=original_id
    )


def notify_quotes(*, quotes: Iterable[tuple[int, int, int]]) -> None:
    """`quotes`: (quoted post's author, quote's author, quote's id); about the quote, which is
    what the quoted author wants to read."""
    notifications_create(
        drafts=[
            NotificationDraft(recipient_id=recipient, type=QUOTE, actor_id=actor, post_id=quote)
            for recipient, actor, quote in quotes
        ]
    )

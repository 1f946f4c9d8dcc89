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
LIKE, COMMENT = "like", "comment"


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


def _on_comment(comment, *, type: str, recipient_id: int, actor_id: int) -> dict:
    """A notification about `comment` (it and its post are what the recipient opens)."""
    return {
        "recipient_id": recipient_id,
        "type": type,
        "actor_id": actor_id,
        "post_id": comment.post_id,
        "comment_id": comment.pk,
    }


def notify_comment(*, comment, post_author_id: int) -> None:
    notification_create(
        **_on_comment(
            comment, type=COMMENT, recipient_id=post_author_id, actor_id=comment.author_id
        )
    )


def notify_reply(*, reply, parent_author_id: int) -> None:
    notification_create(
        **_on_comment(reply, type=REPLY, recipient_id=parent_author_id, actor_id=reply.author_id)
    )


def _comment_like(comment, user_id: int) -> dict:
    # The same notification for both: unliking withdraws exactly what liking wrote.
    return _on_comment(comment, type=COMMENT_LIKE, recipient_id=comment.author_id, actor_id=user_id)


def notify_comment_like(*, comment, user_id: int) -> None:
    notification_create(**_comment_like(comment, user_id))


def withdraw_comment_like(*, comment, user_id: int) -> None:
    notification_withdraw(**_comment_like(comment, user_id))


def _like(post, user_id: int) -> dict:
    return {"recipient_id": post.author_id, "type": LIKE, "actor_id": user_id, "post_id": post.pk}


def notify_like(*, post, user_id: int) -> None:
    notification_create(**_like(post, user_id))


def withdraw_like(*, post, user_id: int) -> None:
    notification_withdraw(**_like(post, user_id))


def _repost(original_id: int, original_author_id: int, user_id: int) -> dict:
    # About the original (what was reposted), once per reposter however often they redo it.
    return {
        "recipient_id": original_author_id,
        "type": REPOST,
        "actor_id": user_id,
        "post_id": original_id,
    }


def notify_repost(*, original_id: int, original_author_id: int, user_id: int) -> None:
    notification_create(**_repost(original_id, original_author_id, user_id))


def withdraw_repost(*, original_id: int, original_author_id: int, user_id: int) -> None:
    notification_withdraw(**_repost(original_id, original_author_id, user_id))


def notify_quotes(*, quotes: Iterable[tuple[int, int, int]]) -> None:
    """`quotes`: (quoted post's author, quote's author, quote's id); about the quote, which is
    what the quoted author wants to read."""
    notifications_create(
        drafts=[
            NotificationDraft(recipient_id=recipient, type=QUOTE, actor_id=actor, post_id=quote)
            for recipient, actor, quote in quotes
        ]
    )

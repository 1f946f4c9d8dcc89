"""Writing notifications: the functions every cause calls, in the cause's own transaction.

`user` and `post` services call these (never the reverse), by ids, so this module imports
neither app. A notification is one INSERT ... ON CONFLICT DO NOTHING in the transaction that
writes its cause: a cause that rolls back takes its notification with it, and the partial
unique constraints of `Notification` turn a repeated or concurrent cause into one row.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from notifications.models import SELF_TYPES, Notification

RETENTION_DELETE_BATCH_SIZE = 1000


@dataclass(frozen=True, kw_only=True)
class NotificationDraft:
    """One notification to write (or take back): the fields of a `Notification` row."""

    recipient_id: int
    type: str
    actor_id: int
    post_id: int | None = None
    comment_id: int | None = None


def notifiable(*, recipient_id: int, actor_id: int, type: str) -> bool:
    """Whether `actor_id`'s action may notify `recipient_id`, as far as the two ids tell:
    nobody is told of their own actions (except of their own scheduled post's fate). The
    pairs' blocks and mutes are the other half of the rule (`_silenced`), one query per
    batch."""
    if recipient_id == actor_id:
        return type in SELF_TYPES
    return True


def _silenced(drafts: list[NotificationDraft]) -> set[tuple[int, int]]:
    """The (recipient, actor) pairs of `drafts` that must not notify: a block either way, or
    the recipient muting the actor. One query for the batch. The user app's models by name
    (as the foreign keys are): this module imports no app."""
    pairs = {(d.recipient_id, d.actor_id) for d in drafts if d.recipient_id != d.actor_id}
    if not pairs:
        return set()
    block, mute = apps.get_model("user", "Block"), apps.get_model("user", "Mute")
    recipients, actors = {r for r, _ in pairs}, {a for _, a in pairs}
    found = (
        block.objects.filter(blocker__in=recipients, blocked__in=actors)
        .values_list("blocker", "blocked")
        .union(
            block.objects.filter(blocker__in=actors, blocked__in=recipients).values_list(
                "blocked", "blocker"
            ),
            mute.objects.filter(muter__in=recipients, muted__in=actors).values_list(
                "muter", "muted"
            ),
        )
    )
    return set(found) & pairs


def notification_create(**draft) -> None:
    """Notify one recipient (`draft`: a `NotificationDraft`'s fields, by keyword); call it
    inside the cause's transaction. One statement, or none when `notifiable` says no."""
    notifications_create(drafts=[NotificationDraft(**draft)])


def notifications_create(*, drafts: Iterable[NotificationDraft]) -> None:
    """Notify many at once (a batch of published posts, the mentions of a post): one statement
    whatever their number. A draft that repeats an existing once-only notification (see the
    constraints of `Notification`) is dropped by the database, concurrently too."""
    drafts = list(drafts)
    silenced = _silenced(drafts)
    rows = [
        Notification(**asdict(draft))
        for draft in drafts
        if notifiable(recipient_id=draft.recipient_id, actor_id=draft.actor_id, type=draft.type)
        and (draft.recipient_id, draft.actor_id) not in silenced
    ]
    if rows:
        # ON CONFLICT DO NOTHING without a conflict target: it covers the partial unique
        # indexes, which a target would have to name with their predicates.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)


def notification_withdraw(**draft) -> None:
    """Take back the notification of an undone action (unlike, unfollow) while it is unread;
    a read one stays (the recipient has seen it, and a redo then adds nothing). `draft` names
    it as `notification_create` was given it. One statement."""
    # Through the dataclass: a missing or misspelt field fails here, not as a silent no-op.
    Notification.objects.filter(**asdict(NotificationDraft(**draft)), read=False).delete()


def notifications_mark_read(*, recipient, up_to: int | None = None) -> int:
    """Mark the recipient's notifications up to id `up_to` (all when None) read; returns how
    many changed. Only unread rows are touched: a repeat writes nothing."""
    rows = Notification.objects.of(recipient).unread()
    if up_to is not None:
        rows = rows.filter(id__lte=up_to)
    return rows.update(read=True)


def notification_dismiss(*, recipient, notification_id: int) -> bool:
    """Delete one of the recipient's notifications; False when there is none with that id
    (someone else's included)."""
    deleted, _ = Notification.objects.of(recipient).filter(pk=notification_id).delete()
    return deleted > 0


def notifications_delete_expired(*, now=None, batch_size: int = RETENTION_DELETE_BATCH_SIZE) -> int:
    """Delete read notifications older than NOTIFICATIONS_RETENTION_DAYS, a batch per
    statement (by primary key, from the partial age index), so that a large backlog never
    holds one long lock; unread ones stay however old. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    deleted = 0
    while True:
        batch = list(
            Notification.objects.read_before(cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return deleted
        deleted += Notification.objects.filter(pk__in=batch).delete()[0]

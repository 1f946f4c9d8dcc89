"""Reports and what moderators do about them.

Each write is a keyword-only `<entity>_<action>` in one transaction. What a caller may
report is what they may see: the user and post apps' `visible_to` rules, looked up here, so
that a report never confirms the existence of something hidden from the reporter. Every
moderator action appends a `ModerationAction` in the transaction that does it. Suspension
is `is_active=False`, which every read of the API already hides (accounts, their posts,
comments, likes and follows), plus the deletion of the account's tokens; nothing else is
deleted, so unsuspending brings it all back.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from moderation.models import ModerationAction, Report, TargetType
from post.models import Comment, Post
from post.services.interactions import comment_delete
from post.services.posts import post_delete
from social_media.exceptions import Conflict
from user.models import User
from user.services.accounts import user_activity_set

CANNOT_REPORT_SELF = "You cannot report yourself."
NOT_FOUND = {
    TargetType.USER: "No user with this id.",
    TargetType.POST: "No post with this id.",
    TargetType.COMMENT: "No comment with this id.",
}
# A report resolved between our insert finding it and our read of it sends us round again;
# twice in a row is already beyond any real moderator's speed.
REPORT_CREATE_ATTEMPTS = 3


def reportable(*, target_type: str, viewer):
    """The objects of `target_type` that `viewer` may report: those they may see. A comment
    deleted to a tombstone (kept for its replies) has no content left to report."""
    if target_type == TargetType.USER:
        return User.objects.visible_to(viewer)
    if target_type == TargetType.POST:
        return Post.objects.visible_to(viewer)
    return Comment.objects.visible_to(viewer).filter(deleted=False)


@transaction.atomic
def report_create(
    *, reporter, target_type: str, target_id: int, reason: str, note: str = ""
) -> tuple[Report, bool]:
    """Report a target; the caller's open report on it and whether this call created it.

    While the reporter's report on the target is open, reporting it again returns that one
    unchanged. The partial unique constraint settles concurrent duplicates: the insert is
    ON CONFLICT DO NOTHING (the loser waits for the winner's commit), and the read after it
    finds the one open row. Raises `Http404` for a target the reporter cannot see (or that
    does not exist) and `ValidationError` for a self-report.
    """
    if target_type == TargetType.USER and target_id == reporter.pk:
        raise ValidationError({"target_id": [CANNOT_REPORT_SELF]})
    if not reportable(target_type=target_type, viewer=reporter).filter(pk=target_id).exists():
        raise Http404(NOT_FOUND[target_type])
    target = {"reporter": reporter, "target_type": target_type, "target_id": target_id}
    for _ in range(REPORT_CREATE_ATTEMPTS):
        created = _insert_unless_conflicting(Report(**target, reason=reason, note=note))
        report = Report.objects.open().filter(**target).first()
        if report is not None:
            return report, created
    raise Conflict("The report was resolved while it was being filed; send it again.")


def _insert_unless_conflicting(row: Report) -> bool:
    """INSERT the row, or nothing when it collides with a unique constraint; True when it was
    inserted. As `social_media.db.insert_or_nothing`, but without a conflict target: the
    constraint here is a partial index, which a target would have to repeat with its
    predicate; ON CONFLICT DO NOTHING on its own covers it (PostgreSQL and SQLite)."""
    meta, quote = Report._meta, connection.ops.quote_name
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Identifiers from the model's metadata, quoted; every value is a bound parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        "ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


# --- Moderators' actions (the Django admin's queue) -------------------------------------


def _record(*, moderator, action: str, target_type: str, target_id: int, report=None):
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        target_type=target_type,
        target_id=target_id,
        report=report,
    )


def _resolve_open(reports, *, moderator) -> list[Report]:
    """Mark the open ones among `reports` (a queryset) resolved; those it changed. Locked
    first, so two moderators resolving the same report resolve (and record) it once."""
    changed = list(reports.open().select_for_update().order_by("pk"))
    Report.objects.filter(pk__in=[report.pk for report in changed]).update(
        status=Report.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=moderator
    )
    return changed


@transaction.atomic
def reports_resolve(*, report_ids: Iterable[int], moderator) -> int:
    """Resolve these reports, each with its own `resolve` entry in the audit log; reports
    already resolved are left as they are. Returns how many were resolved."""
    resolved = _resolve_open(Report.objects.filter(pk__in=list(report_ids)), moderator=moderator)
    ModerationAction.objects.bulk_create(
        ModerationAction(
            moderator=moderator,
            action=ModerationAction.Action.RESOLVE,
            target_type=report.target_type,
            target_id=report.target_id,
            report=report,
        )
        for report in resolved
    )
    return len(resolved)


def _resolve_target(report: Report, *, moderator) -> None:
    """Acting on a target settles every open report on it, not only the one acted from."""
    _resolve_open(
        Report.objects.on_target(report.target_type, report.target_id), moderator=moderator
    )


@transaction.atomic
def report_target_delete(*, report: Report, moderator) -> bool:
    """Delete the reported post or comment through the post app's own services (media files,
    tombstones of comments with replies, counts), record it and resolve every open report on
    it. False, doing nothing, when the report is about a user or the target is already gone.
    """
    if report.target_type == TargetType.POST:
        post = Post.objects.filter(pk=report.target_id).first()
        if post is None:
            return False
        post_delete(post=post)
        action = ModerationAction.Action.DELETE_POST
    elif report.target_type == TargetType.COMMENT:
        comment = Comment.objects.filter(pk=report.target_id, deleted=False).first()
        if comment is None:
            return False
        comment_delete(comment=comment)
        action = ModerationAction.Action.DELETE_COMMENT
    else:
        return False
    _record(
        moderator=moderator,
        action=action,
        target_type=report.target_type,
        target_id=report.target_id,
        report=report,
    )
    _resolve_target(report, moderator=moderator)
    return True


def report_account(report: Report) -> User | None:
    """The account a report is about: the reported user, or the author of the reported post
    or comment; None when the target is gone. Suspended accounts included."""
    if report.target_type == TargetType.USER:
        return User.objects.filter(pk=report.target_id).first()
    model = Post if report.target_type == TargetType.POST else Comment
    authors = model.objects.filter(pk=report.target_id).values("author")
    return User.objects.filter(pk__in=authors).first()


@transaction.atomic
def account_suspend(*, user: User, moderator, report: Report | None = None) -> ModerationAction:
    """Suspend the account: inactive (every read of the API hides it and what it made, and
    Django's login refuses it) and its tokens deleted, so they stop working at once. Nothing
    else is deleted. With `report`, every open report on that report's target is resolved.
    """
    user_activity_set(user=user, active=False)
    action = _record(
        moderator=moderator,
        action=ModerationAction.Action.SUSPEND,
        target_type=TargetType.USER,
        target_id=user.pk,
        report=report,
    )
    if report is not None:
        _resolve_target(report, moderator=moderator)
    return action


@transaction.atomic
def account_unsuspend(*, user: User, moderator) -> ModerationAction:
    """Reactivate the account: everything it made is visible again. Its tokens are gone; it
    logs in again."""
    user_activity_set(user=user, active=True)
    return _record(
        moderator=moderator,
        action=ModerationAction.Action.UNSUSPEND,
        target_type=TargetType.USER,
        target_id=user.pk,
    )

"""Reports of users, posts and comments, and the moderators' audit log.

A report names its target by type and id, not by a foreign key: the target may be deleted
(by its author, or by a moderator acting on the report) and the report and the audit log
must outlive it. Both are written only through `moderation.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q
from django.utils import timezone

from social_media.db import count_subquery


class TargetType(models.TextChoices):
    USER = "user"
    POST = "post"
    COMMENT = "comment"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)

    def on_target(self, target_type: str, target_id: int):
        return self.filter(target_type=target_type, target_id=target_id)

    def with_open_on_target(self):
        """`open_on_target`: how many open reports name the same target (this one included
        when open), the size of the target's group in the moderation queue."""
        return self.annotate(
            open_on_target=count_subquery(
                Report.objects.open().filter(
                    target_type=OuterRef("target_type"), target_id=OuterRef("target_id")
                ),
                "target_type",
            )
        )


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam"
        ABUSE = "abuse"
        ILLEGAL = "illegal"
        OTHER = "other"

    class Status(models.TextChoices):
        OPEN = "open"
        RESOLVED = "resolved"

    # A deleted account's reports go with its other data; the audit log keeps its rows.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_reports"
    )
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        constraints = [
            # One open report per reporter and target: a repeat (or a concurrent duplicate)
            # finds the open one instead of queueing the same complaint twice. Once resolved,
            # the reporter may report the target again.
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=Q(status="open"),
                name="report_one_open_per_target",
            ),
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False),
                name="report_resolved_has_time",
            ),
        ]
        indexes = [
            # The queue: open reports, grouped by target.
            models.Index(fields=["status", "target_type", "target_id"], name="report_queue"),
        ]

    def __str__(self):
        return f"Report {self.pk}: {self.target_type} {self.target_id} ({self.reason})"


class ModerationAction(models.Model):
    """What a moderator did, to what and when: the audit log, only ever appended to."""

    class Action(models.TextChoices):
        RESOLVE = "resolve"
        DELETE_POST = "delete_post"
        DELETE_COMMENT = "delete_comment"
        SUSPEND = "suspend"
        UNSUSPEND = "unsuspend"

    # SET_NULL, not PROTECT: a moderator deleting their own account must not fail (a 500),
    # and the rows it leaves still say what was done to what and when.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    target_type = models.CharField(max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="moderationaction_target"),
        ]

    def __str__(self):
        return f"{self.action} {self.target_type} {self.target_id}"

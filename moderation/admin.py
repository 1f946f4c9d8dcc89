"""The moderation queue: reports in the Django admin, and the audit log of what moderators did.

The report list opens on the open reports, grouped by target: the most reported target
first, its reports together, each row with the target's content and how many open reports
it has. The actions act through `moderation.services`, which records each one with its
moderator and time.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html

from moderation.models import ModerationAction, Report, TargetType
from moderation.services import (
    account_suspend,
    account_unsuspend,
    report_account,
    report_target_delete,
    reports_resolve,
)
from post.models import Comment, Post
from user.models import User

# Longer texts are cut in the list; the report's own page shows the whole text.
LIST_TEXT_LENGTH = 300
GONE = "(deleted)"


def targets_of(reports) -> dict[tuple[str, int], object]:
    """The users, posts and comments `reports` name, by (type, id): one query per type,
    suspended accounts' content included (moderators see everything). Gone ones are absent.
    """
    ids: dict[str, set[int]] = {kind: set() for kind in TargetType.values}
    for report in reports:
        ids[report.target_type].add(report.target_id)
    found = {}
    sources = {
        TargetType.USER: User.objects.all(),
        TargetType.POST: Post.objects.select_related("author"),
        TargetType.COMMENT: Comment.objects.select_related("author"),
    }
    for kind, queryset in sources.items():
        if ids[kind]:
            found.update(((kind, row.pk), row) for row in queryset.filter(pk__in=ids[kind]))
    return found


def _cut(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _account(user) -> str:
    return f"@{user.username}" + ("" if user.is_active else " (suspended)")


def content_html(report: Report, target, limit: int | None = LIST_TEXT_LENGTH):
    """What the target says, with who said it; escaped (it is user content)."""
    if target is None:
        return GONE
    if report.target_type == TargetType.USER:
        return format_html(
            "<strong>{}</strong> {}<br>{}",
            _account(target),
            target.display_name,
            _cut(target.bio, limit) or "(no bio)",
        )
    if report.target_type == TargetType.POST:
        text = target.text or (f"(a repost of post {target.repost_of_id})")
        return format_html("<strong>{}</strong>: {}", _account(target.author), _cut(text, limit))
    text = "(a tombstone: deleted, kept for its replies)" if target.deleted else target.text
    return format_html(
        "<strong>{}</strong> on post {}: {}",
        _account(target.author),
        target.post_id,
        _cut(text, limit),
    )


class QueueChangeList(ChangeList):
    """Loads the page's targets at once, so each row shows its target's content without a
    query per row."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        targets = targets_of(self.result_list)
        for report in self.result_list:
            report.loaded_target = targets.get((report.target_type, report.target_id))


class StatusFilter(admin.SimpleListFilter):
    """Open reports unless asked otherwise: the list is a queue."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Report.Status.choices, (self.ALL, "All")]

    def queryset(self, request, queryset):
        value = self.value() or Report.Status.OPEN
        return queryset if value == self.ALL else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or Report.Status.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "target",
        "content",
        "open_on_target",
        "reason",
        "short_note",
        "reporter",
        "status",
        "created_at",
    )
    list_display_links = ("id",)
    list_filter = (StatusFilter, "target_type", "reason")
    search_fields = ("note", "reporter__username", "reporter__email")
    show_full_result_count = False
    actions = ("resolve", "delete_target", "suspend_account", "unsuspend_account")
    fields = (
        "target",
        "full_content",
        "reason",
        "note",
        "reporter",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # Annotated before ordered: the ordering names the annotation.
        return (
            Report.objects.with_open_on_target()
            .select_related("reporter")
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        # The most reported targets first, each target's reports together, newest first.
        return ("-open_on_target", "target_type", "target_id", "-created_at")

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    # Reports are filed through the API and settled by the actions below; deleting one
    # would erase what a moderator's decision was based on.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The actions need the change permission; a report's own page is for reading.
    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    # --- Columns ---------------------------------------------------------------------

    @admin.display(description="target")
    def target(self, report):
        name = {
            TargetType.USER: "user_user",
            TargetType.POST: "post_post",
            TargetType.COMMENT: "post_comment",
        }[report.target_type]
        url = reverse(f"admin:{name}_change", args=[report.target_id])
        return format_html('<a href="{}">{} {}</a>', url, report.target_type, report.target_id)

    @admin.display(description="content")
    def content(self, report):
        return content_html(report, self._target(report))

    @admin.display(description="content")
    def full_content(self, report):
        return content_html(report, self._target(report), limit=None)

    @admin.display(description="open reports on target", ordering="open_on_target")
    def open_on_target(self, report):
        return report.open_on_target

    @admin.display(description="note")
    def short_note(self, report):
        return _cut(report.note, 120)

    @staticmethod
    def _target(report):
        if not hasattr(report, "loaded_target"):  # the report's own page: no list loaded it
            report.loaded_target = targets_of([report]).get((report.target_type, report.target_id))
        return report.loaded_target

    # --- Actions -----------------------------------------------------------------------

    @admin.action(description="Resolve the selected reports", permissions=["change"])
    def resolve(self, request, queryset):
        count = reports_resolve(
            report_ids=queryset.values_list("pk", flat=True), moderator=request.user
        )
        self.message_user(request, f"{count} report(s) resolved.", messages.SUCCESS)

    @admin.action(
        description="Delete the reported posts or comments (resolves their reports)",
        permissions=["change"],
    )
    def delete_target(self, request, queryset):
        deleted = skipped = 0
        for report in self._one_per_target(queryset):
            if report_target_delete(report=report, moderator=request.user):
                deleted += 1
            else:
                skipped += 1
        self.message_user(request, f"{deleted} post(s) or comment(s) deleted.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} target(s) left alone: accounts (suspend those instead) or already "
                "deleted (resolve their reports).",
                messages.WARNING,
            )

    @admin.action(
        description="Suspend the accounts behind the reports (resolves their reports)",
        permissions=["change"],
    )
    def suspend_account(self, request, queryset):
        suspended, refused = set(), set()
        for report in self._one_per_target(queryset):
            account = report_account(report)
            if account is None:
                continue
            if account.is_staff or account.pk == request.user.pk:
                refused.add(account.username)
                continue
            account_suspend(user=account, moderator=request.user, report=report)
            suspended.add(account.pk)
        self.message_user(request, f"{len(suspended)} account(s) suspended.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"Staff accounts are not suspended from the queue: {', '.join(sorted(refused))}.",
                messages.WARNING,
            )

    @admin.action(description="Unsuspend the accounts behind the reports", permissions=["change"])
    def unsuspend_account(self, request, queryset):
        accounts = {}
        for report in self._one_per_target(queryset):
            account = report_account(report)
            if account is not None and not account.is_active:
                accounts[account.pk] = account
        for account in accounts.values():
            account_unsuspend(user=account, moderator=request.user)
        self.message_user(request, f"{len(accounts)} account(s) unsuspended.", messages.SUCCESS)

    @staticmethod
    def _one_per_target(queryset) -> list[Report]:
        """One selected report per target: acting on a target settles all of its reports."""
        reports = {}
        for report in queryset.order_by("pk"):
            reports.setdefault((report.target_type, report.target_id), report)
        return list(reports.values())


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log: read only, never edited or deleted."""

    list_display = ("created_at", "moderator", "action", "target_type", "target_id", "report")
    list_filter = ("action", "target_type")
    list_select_related = ("moderator",)
    search_fields = ("moderator__username", "moderator__email")
    ordering = ("-created_at", "-id")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

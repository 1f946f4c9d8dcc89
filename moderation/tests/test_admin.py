"""The moderation queue, driven through the real Django admin views as a logged-in staff
user: what the queue shows, and what each action does to the API and to the audit log."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from conftest import client_for
from moderation.models import ModerationAction, Report
from moderation.services import report_create
from post.models import Comment, Media, Post
from post.tests.factories import CommentFactory, MediaFactory, PostFactory
from user.models import User
from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:moderation_report_changelist")


@pytest.fixture
def moderator(client):
    staff = UserFactory(is_staff=True, is_superuser=True, username="mod")
    client.force_login(staff)
    return staff


@pytest.fixture
def author(db):
    return UserFactory(username="spammer", bio="Cheap followers, DM me")


def file_report(target_type, target_id, reporter=None, reason="spam"):
    report, _ = report_create(
        reporter=reporter or UserFactory(),
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        note="",
    )
    return report


def the_one_action() -> tuple:
    """The audit log's only entry: (moderator, action, target type, target id, report)."""
    action = ModerationAction.objects.get()
    return (action.moderator, action.action, action.target_type, action.target_id, action.report)


def act(client, action, reports, status=None):
    """Select `reports` in the list (the queue of open ones, or those of `status`) and run
    the action on them, as the admin's form does."""
    url = CHANGELIST + (f"?status={status}" if status else "")
    return client.post(
        url, {"action": action, "_selected_action": [report.pk for report in reports]}
    )


# --- The queue ------------------------------------------------------------------------


def test_the_queue_shows_open_reports_with_their_targets_content(client, moderator, author):
    post = PostFactory(author=author, text="Buy followers at example.net")
    comment = CommentFactory(author=author, text="Visit example.net for likes")
    for _ in range(2):
        file_report("post", post.pk)
    file_report("user", author.pk)
    file_report("comment", comment.pk)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy followers at example.net" in html
    assert "Visit example.net for likes" in html
    assert "@spammer" in html
    assert "Cheap followers, DM me" in html
    assert reverse("admin:post_post_change", args=[post.pk]) in html
    # Grouped by target, the most reported first, with the group's size on each row.
    rows = list(response.context["cl"].result_list)
    assert [(r.target_type, r.open_on_target) for r in rows] == [
        ("post", 2),
        ("post", 2),
        ("comment", 1),
        ("user", 1),
    ]


def test_the_queue_hides_resolved_reports_unless_asked(client, moderator, author):
    resolved = file_report("post", PostFactory(author=author, text="old news").pk)
    act(client, "resolve", [resolved])
    file_report("post", PostFactory(author=author, text="fresh spam").pk)

    queue = client.get(CHANGELIST).content.decode()
    everything = client.get(CHANGELIST, {"status": "all"}).content.decode()
    done = client.get(CHANGELIST, {"status": "resolved"}).content.decode()

    assert "fresh spam" in queue
    assert "old news" not in queue
    assert "old news" in everything
    assert "fresh spam" in everything
    assert "old news" in done
    assert "fresh spam" not in done


def test_the_queue_filters_by_target_type(client, moderator, author):
    file_report("post", PostFactory(author=author, text="a post").pk)
    file_report("user", author.pk)

    rows = client.get(CHANGELIST, {"target_type__exact": "user"}).context["cl"].result_list

    assert [row.target_type for row in rows] == ["user"]


def test_user_content_is_escaped(client, moderator, author):
    file_report("post", PostFactory(author=author, text="<script>alert(1)</script>").pk)

    html = client.get(CHANGELIST).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_deleted_targets_and_suspended_authors_are_shown_as_such(client, moderator, author):
    gone = PostFactory(author=author, text="gone soon")
    file_report("post", gone.pk)
    file_report("post", PostFactory(author=author, text="still here").pk)
    gone.delete()
    User.objects.filter(pk=author.pk).update(is_active=False)

    html = client.get(CHANGELIST).content.decode()

    assert "(deleted)" in html
    assert "@spammer (suspended)" in html
    assert "still here" in html


def test_the_queue_costs_the_same_queries_for_many_reports(client, moderator, author):
    def queue_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CHANGELIST).status_code == 200
        return len(captured)

    file_report("post", PostFactory(author=author).pk)
    file_report("comment", CommentFactory(author=author).pk)
    file_report("user", author.pk)
    few = queue_queries()
    for _ in range(10):
        file_report("post", PostFactory(author=UserFactory()).pk)
        file_report("comment", CommentFactory().pk)
        file_report("user", UserFactory().pk)

    assert queue_queries() == few


def test_a_reports_page_shows_the_whole_target(client, moderator, author):
    text = "x" * 400 + " the end"
    report = file_report("post", PostFactory(author=author, text=text).pk)

    url = reverse("admin:moderation_report_change", args=[report.pk])
    response = client.get(url)

    assert response.status_code == 200
    assert "the end" in response.content.decode()
    # A page to read: the report changes only through the actions.
    assert client.post(url, {"status": "resolved"}).status_code == 403
    report.refresh_from_db()
    assert report.status == "open"


def test_reports_are_neither_added_nor_deleted_in_the_admin(client, moderator, author):
    report = file_report("user", author.pk)

    assert client.get(reverse("admin:moderation_report_add")).status_code == 403
    delete_url = reverse("admin:moderation_report_delete", args=[report.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    act(client, "delete_selected", [report])  # no such action here
    assert Report.objects.filter(pk=report.pk).exists()


def test_staff_only(client, author):
    file_report("user", author.pk)
    client.force_login(UserFactory(is_staff=False))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Resolve -------------------------------------------------------------------------------


def test_resolve_marks_the_selected_reports_and_records_each(client, moderator, author):
    post = PostFactory(author=author)
    selected = [file_report("post", post.pk), file_report("user", author.pk)]
    untouched = file_report("post", post.pk)

    response = act(client, "resolve", selected)

    assert response.status_code == 302
    for report in selected:
        report.refresh_from_db()
        assert report.status == "resolved"
        assert report.resolved_by == moderator
        assert report.resolved_at is not None
    untouched.refresh_from_db()
    assert untouched.status == "open"
    actions = ModerationAction.objects.order_by("report_id")
    assert [(a.moderator, a.action, a.report_id) for a in actions] == [
        (moderator, "resolve", report.pk) for report in selected
    ]
    assert all(a.created_at is not None for a in actions)
    # Nothing else happened to the target.
    assert Post.objects.filter(pk=post.pk).exists()


def test_resolving_a_resolved_report_records_nothing_more(client, moderator, author):
    report = file_report("user", author.pk)
    act(client, "resolve", [report])

    act(client, "resolve", [report], status="all")

    assert ModerationAction.objects.count() == 1


# --- Delete ----------------------------------------------------------------------------


def test_delete_removes_the_post_through_the_service_and_resolves_its_reports(
    client, moderator, author, django_capture_on_commit_callbacks
):
    post = PostFactory(author=author, text="Buy followers")
    media = MediaFactory(owner=author)
    Media.objects.filter(pk=media.pk).update(post=post)
    files = [media.file.name, media.thumbnail.name]
    assert all(default_storage.exists(name) for name in files)
    first, second = file_report("post", post.pk), file_report("post", post.pk)
    other = file_report("user", author.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, "delete_target", [first])

    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    # The service deleted the media files with the rows.
    assert not any(default_storage.exists(name) for name in files)
    assert set(Report.objects.filter(status="resolved").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    other.refresh_from_db()
    assert other.status == "open"
    assert the_one_action() == (moderator, "delete_post", "post", post.pk, first)
    # The author and the reports remain: only the post is gone.
    assert User.objects.filter(pk=author.pk, is_active=True).exists()
    assert client_for(None).get(f"/api/v1/posts/{post.pk}/").status_code == 404


def test_delete_removes_a_comment_without_replies(client, moderator, author):
    comment = CommentFactory(author=author, text="rude")
    report = file_report("comment", comment.pk)

    act(client, "delete_target", [report])

    assert not Comment.objects.filter(pk=comment.pk).exists()
    report.refresh_from_db()
    assert report.status == "resolved"
    assert ModerationAction.objects.get().action == "delete_comment"


def test_delete_leaves_a_tombstone_for_a_comment_with_replies(client, moderator, author):
    comment = CommentFactory(author=author, text="rude")
    reply = CommentFactory(post=comment.post, in_reply_to=comment, text="Please don't")
    report = file_report("comment", comment.pk)

    act(client, "delete_target", [report])

    comment.refresh_from_db()
    assert (comment.text, comment.deleted) == ("", True)
    assert Comment.objects.filter(pk=reply.pk).exists()
    response = client_for(None).get(f"/api/v1/comments/{comment.pk}/")
    assert response.json()["deleted"] is True
    assert response.json()["text"] == ""


def test_delete_leaves_accounts_and_deleted_targets_alone(client, moderator, author):
    account = file_report("user", author.pk)
    post = PostFactory(author=author)
    gone = file_report("post", post.pk)
    post.delete()

    response = act(client, "delete_target", [account, gone])

    assert response.status_code == 302
    assert User.objects.filter(pk=author.pk, is_active=True).exists()
    assert Report.objects.open().count() == 2
    assert not ModerationAction.objects.exists()


# --- Suspend and unsuspend -------------------------------------------------------------


def test_suspend_revokes_tokens_at_once_and_hides_everything_deleting_nothing(
    client, moderator, author
):
    author_client = client_for(author)
    second_device = client_for(author)
    post = PostFactory(author=author, text="Buy followers")
    comment = CommentFactory(author=author, text="and more")
    viewer = client_for(UserFactory())
    assert viewer.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    report = file_report("post", post.pk)
    rows = (User.objects.count(), Post.objects.count(), Comment.objects.count())

    response = act(client, "suspend_account", [report])

    assert response.status_code == 302
    assert author_client.get("/api/v1/users/me/").status_code == 401
    assert second_device.get("/api/v1/users/me/").status_code == 401
    assert not AuthToken.objects.filter(user=author).exists()
    assert viewer.get(f"/api/v1/posts/{post.pk}/").status_code == 404
    assert viewer.get(f"/api/v1/users/{author.pk}/").status_code == 404
    assert viewer.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert post.pk not in [p["id"] for p in viewer.get("/api/v1/posts/").json()["results"]]
    # Nothing was deleted.
    assert (User.objects.count(), Post.objects.count(), Comment.objects.count()) == rows
    author.refresh_from_db()
    assert author.is_active is False
    report.refresh_from_db()
    assert (report.status, report.resolved_by) == ("resolved", moderator)
    assert the_one_action() == (moderator, "suspend", "user", author.pk, report)
    # Nor can the account log in again.
    login = client_for(None).post(
        "/api/v1/auth/login/", {"email": author.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 400


def test_suspend_from_a_report_on_the_account_or_a_comment(client, moderator, author):
    other = UserFactory()
    reports = [
        file_report("user", author.pk),
        file_report("comment", CommentFactory(author=other).pk),
    ]

    act(client, "suspend_account", reports)

    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {
        author.pk,
        other.pk,
    }
    assert ModerationAction.objects.filter(action="suspend").count() == 2
    assert not Report.objects.open().exists()


def test_staff_and_oneself_are_not_suspended_from_the_queue(client, moderator):
    staff = UserFactory(is_staff=True)
    reports = [file_report("user", staff.pk), file_report("post", PostFactory(author=moderator).pk)]

    response = act(client, "suspend_account", reports)

    assert response.status_code == 302
    assert User.objects.filter(pk__in=[staff.pk, moderator.pk], is_active=True).count() == 2
    assert not ModerationAction.objects.exists()
    assert Report.objects.open().count() == 2


def test_unsuspend_brings_everything_back(client, moderator, author):
    post = PostFactory(author=author, text="Actually fine")
    report = file_report("post", post.pk)
    viewer = client_for(UserFactory())
    act(client, "suspend_account", [report])
    assert viewer.get(f"/api/v1/posts/{post.pk}/").status_code == 404

    # The report was resolved by the suspension: it is found among all reports.
    response = act(client, "unsuspend_account", [report], status="all")

    assert response.status_code == 302
    assert viewer.get(f"/api/v1/posts/{post.pk}/").status_code == 200
    assert viewer.get(f"/api/v1/users/{author.pk}/").status_code == 200
    author.refresh_from_db()
    assert author.is_active is True
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", "moderator"))
    assert actions == [("suspend", moderator.pk), ("unsuspend", moderator.pk)]
    # The revoked tokens stay revoked; the account logs in anew.
    login = client_for(None).post(
        "/api/v1/auth/login/", {"email": author.email, "password": DEFAULT_PASSWORD}
    )
    assert login.status_code == 200


def test_unsuspending_an_active_account_records_nothing(client, moderator, author):
    act(client, "unsuspend_account", [file_report("user", author.pk)])

    assert not ModerationAction.objects.exists()


# --- The audit log -----------------------------------------------------------------------


def test_the_audit_log_is_read_only(client, moderator, author):
    act(client, "resolve", [file_report("user", author.pk)])
    action = ModerationAction.objects.get()
    changelist = reverse("admin:moderation_moderationaction_changelist")
    change = reverse("admin:moderation_moderationaction_change", args=[action.pk])
    delete = reverse("admin:moderation_moderationaction_delete", args=[action.pk])

    listing = client.get(changelist)

    assert listing.status_code == 200
    assert "resolve" in listing.content.decode()
    assert client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    assert client.post(change, {"action": "suspend"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(
        changelist, {"action": "delete_selected", "_selected_action": [action.pk]}
    ).status_code in (200, 302)
    action.refresh_from_db()
    assert action.action == "resolve"


def test_the_audit_log_outlives_the_report_and_the_moderator(client, moderator, author):
    reporter = UserFactory()
    act(client, "resolve", [file_report("user", author.pk, reporter=reporter)])

    reporter.delete()
    moderator.delete()

    assert the_one_action() == (None, "resolve", "user", author.pk, None)

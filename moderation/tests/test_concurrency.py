"""Races on PostgreSQL: concurrent identical reports file one, concurrent moderators act once."""

import pytest

from moderation.models import ModerationAction, Report
from moderation.services import report_create, reports_resolve
from post.tests.factories import PostFactory
from tests.concurrency import run_at_once
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_twenty_concurrent_identical_reports_leave_one_open_report(make_client):
    reporter, post = UserFactory(), PostFactory()
    clients = [make_client(reporter) for _ in range(20)]
    body = {"target_type": "post", "target_id": post.pk, "reason": "spam"}

    results = run_at_once([lambda c=c: c.post("/api/v1/reports/", body) for c in clients])

    statuses = sorted(getattr(r, "status_code", r) for r in results)
    assert statuses == [200] * 19 + [201], results
    assert len({r.json()["id"] for r in results}) == 1
    assert Report.objects.filter(reporter=reporter).count() == 1


def test_a_report_filed_while_the_open_one_is_resolved_is_never_lost():
    reporter, moderator, post = UserFactory(), UserFactory(is_staff=True), PostFactory()
    target = {"reporter": reporter, "target_type": "post", "target_id": post.pk}
    first, _ = report_create(**target, reason="spam", note="")

    results = run_at_once(
        [
            lambda: reports_resolve(report_ids=[first.pk], moderator=moderator),
            *[lambda: report_create(**target, reason="abuse", note="") for _ in range(5)],
        ]
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    # Whichever came first, each report call answered with an open report of the target,
    # and at most one is open now.
    for report, _ in results[1:]:
        assert report.status == "open"
    assert Report.objects.open().filter(reporter=reporter).count() <= 1


def test_two_moderators_resolving_one_report_record_it_once():
    report, _ = report_create(
        reporter=UserFactory(), target_type="post", target_id=PostFactory().pk, reason="spam"
    )
    moderators = [UserFactory(is_staff=True) for _ in range(2)]

    results = run_at_once(
        [lambda m=m: reports_resolve(report_ids=[report.pk], moderator=m) for m in moderators]
    )

    assert sorted(results) == [0, 1]
    assert ModerationAction.objects.filter(report=report).count() == 1

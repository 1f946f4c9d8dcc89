"""`POST /api/v1/reports/` through the HTTP API: what may be reported, by whom, how often."""

import pytest

from moderation.models import Report
from moderation.services import reports_resolve
from post.tests.factories import CommentFactory, PostFactory
from social_media.db import MAX_ID
from social_media.throttling import ScopedRateThrottle
from user.tests.factories import UserFactory, deactivate

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"
FIELDS = {"id", "target_type", "target_id", "reason", "note", "status", "created_at"}


def report(client, target_type, target_id, reason="spam", **extra):
    return client.post(
        URL, {"target_type": target_type, "target_id": target_id, "reason": reason, **extra}
    )


@pytest.fixture
def post(other_user):
    return PostFactory(author=other_user, text="Buy followers at example.net")


def test_a_new_report_is_201_and_queued_open(auth_client, user, post):
    response = report(auth_client, "post", post.pk, "spam", note="Same link everywhere.")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert body["target_type"] == "post"
    assert body["target_id"] == post.pk
    assert body["reason"] == "spam"
    assert body["note"] == "Same link everywhere."
    assert body["status"] == "open"
    row = Report.objects.get()
    assert (row.pk, row.reporter, row.status) == (body["id"], user, "open")


@pytest.mark.parametrize("target_type", ["user", "post", "comment"])
def test_each_kind_of_target_can_be_reported(auth_client, other_user, post, target_type):
    target_id = {
        "user": other_user.pk,
        "post": post.pk,
        "comment": CommentFactory(post=post, author=other_user).pk,
    }[target_type]

    response = report(auth_client, target_type, target_id, "abuse")

    assert response.status_code == 201, response.content
    assert response.json()["target_id"] == target_id


def test_reporting_again_while_open_is_200_with_the_same_report(auth_client, post):
    first = report(auth_client, "post", post.pk, "spam", note="first")

    again = report(auth_client, "post", post.pk, "abuse", note="second")

    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert Report.objects.count() == 1


def test_a_new_report_after_resolution_is_201_again(auth_client, post, user):
    first = report(auth_client, "post", post.pk).json()
    staff = UserFactory(is_staff=True)
    reports_resolve(report_ids=[first["id"]], moderator=staff)

    response = report(auth_client, "post", post.pk, "illegal")

    assert response.status_code == 201, response.content
    assert response.json()["id"] != first["id"]
    assert response.json()["status"] == "open"
    assert list(Report.objects.order_by("pk").values_list("status", flat=True)) == [
        "resolved",
        "open",
    ]


def test_reports_of_one_target_by_different_users_are_separate(make_client, post):
    ids = {report(make_client(UserFactory()), "post", post.pk).json()["id"] for _ in range(3)}

    assert len(ids) == 3
    assert Report.objects.open().on_target("post", post.pk).count() == 3


def test_a_post_and_its_author_are_different_targets(auth_client, post, other_user):
    assert report(auth_client, "post", post.pk).status_code == 201
    assert report(auth_client, "user", other_user.pk).status_code == 201


def test_anonymous_is_401_and_nothing_is_filed(api_client, post):
    response = report(api_client, "post", post.pk)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Report.objects.exists()


@pytest.mark.parametrize("target_type", ["user", "post", "comment"])
def test_an_unknown_target_is_404(auth_client, target_type):
    response = report(auth_client, target_type, 987654)

    assert response.status_code == 404
    assert response.json() == {"detail": f"No {target_type} with this id."}
    assert not Report.objects.exists()


def test_a_post_of_a_suspended_author_is_404(auth_client, post, other_user):
    deactivate(other_user)

    response = report(auth_client, "post", post.pk)

    assert response.status_code == 404
    assert response.json() == {"detail": "No post with this id."}
    assert not Report.objects.exists()


def test_a_suspended_account_and_its_comments_are_404(auth_client, post, other_user):
    comment = CommentFactory(post=PostFactory(), author=other_user)
    deactivate(other_user)

    assert report(auth_client, "user", other_user.pk).status_code == 404
    assert report(auth_client, "comment", comment.pk).status_code == 404


def test_a_comment_on_a_hidden_post_is_404(auth_client, post, other_user):
    comment = CommentFactory(post=post, author=UserFactory())
    deactivate(other_user)

    assert report(auth_client, "comment", comment.pk).status_code == 404


def test_a_tombstone_comment_has_nothing_to_report(auth_client, post):
    tombstone = CommentFactory(post=post, text="", deleted=True)
    CommentFactory(post=post, in_reply_to=tombstone)

    assert report(auth_client, "comment", tombstone.pk).status_code == 404


def test_reporting_yourself_is_400(auth_client, user):
    response = report(auth_client, "user", user.pk)

    assert response.status_code == 400
    assert response.json() == {"target_id": ["You cannot report yourself."]}
    assert not Report.objects.exists()


def test_ones_own_post_may_be_reported(auth_client, user):
    # Nothing to gain, nothing to forbid: only reporting one's own account is refused.
    assert report(auth_client, "post", PostFactory(author=user).pk).status_code == 201


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"target_type": "post", "target_id": 1, "reason": "rude"},
            {"reason": ['"rude" is not a valid choice.']},
        ),
        (
            {"target_type": "photo", "target_id": 1, "reason": "spam"},
            {"target_type": ['"photo" is not a valid choice.']},
        ),
        (
            {"target_type": "post", "target_id": "twelve", "reason": "spam"},
            {"target_id": ["A valid integer is required."]},
        ),
        (
            {"target_type": "post", "target_id": 1.5, "reason": "spam"},
            {"target_id": ["A valid integer is required."]},
        ),
        (
            {"target_type": "post", "target_id": True, "reason": "spam"},
            {"target_id": ["A valid integer is required."]},
        ),
        (
            {"target_type": "post", "target_id": [1], "reason": "spam"},
            {"target_id": ["A valid integer is required."]},
        ),
        (
            {"target_type": "post", "target_id": 0, "reason": "spam"},
            {"target_id": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            {"target_type": "post", "target_id": MAX_ID + 1, "reason": "spam"},
            {"target_id": [f"Ensure this value is less than or equal to {MAX_ID}."]},
        ),
        (
            {"target_type": "post", "target_id": 1, "reason": "spam", "note": "x" * 1001},
            {"note": ["Ensure this field has no more than 1000 characters."]},
        ),
        (
            {"target_type": "post", "target_id": 1, "reason": "spam", "note": 7},
            {"note": ["Not a valid string."]},
        ),
        (
            {"target_id": 1},
            {"target_type": ["This field is required."], "reason": ["This field is required."]},
        ),
        (
            {},
            {
                "target_type": ["This field is required."],
                "target_id": ["This field is required."],
                "reason": ["This field is required."],
            },
        ),
    ],
)
def test_malformed_reports_are_400_with_field_errors(auth_client, body, errors):
    response = auth_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Report.objects.exists()


def test_a_body_that_is_not_an_object_is_400(auth_client):
    response = auth_client.post(URL, [1, 2], format="json")

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_note_is_optional_and_may_be_blank(auth_client, post, other_user):
    assert report(auth_client, "post", post.pk).json()["note"] == ""
    assert report(auth_client, "user", other_user.pk, note="").json()["note"] == ""


def test_reports_are_throttled_per_user(auth_client, other_client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "reports", "2/min")
    targets = [UserFactory().pk for _ in range(3)]

    statuses = [report(auth_client, "user", target).status_code for target in targets]

    assert statuses == [201, 201, 429]
    assert Report.objects.count() == 2
    # Another user's allowance is their own.
    assert report(other_client, "user", targets[2]).status_code == 201


def test_a_deleted_account_takes_its_reports_along(auth_client, user, post):
    report(auth_client, "post", post.pk)

    assert auth_client.delete("/api/v1/users/me/").status_code == 204
    assert not Report.objects.exists()

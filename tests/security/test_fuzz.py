"""Schemathesis fuzzing of every operation of the live OpenAPI document (OWASP API4, API8).

Each operation is called twice per generated example, authenticated as a real user:

1. exactly as generated (random ids, random bodies): proves malformed input and unknown
   objects are refused with a documented status, never a 500;
2. with the path parameters pointed at fresh objects the caller owns (or, for follows and
   account deletion, at someone else): proves the *success* paths survive fuzzed bodies and
   query strings too, which random integer ids would almost never reach.

Every response must be a non-5xx, with a documented status code, content type, headers and
body shape.

The schema is loaded at import (module level): `schemathesis.pytest.from_fixture` crashes on
pytest 9.2. Loading it runs no query (schema views touch no table), so collection needs no DB.
"""

import os

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import token_for
from notifications.models import Notification
from post.services.posts import post_create
from post.tests.factories import CommentFactory, ScheduledPostFactory
from social_media.wsgi import application
from user.models import FollowRequest
from user.tests.factories import UserFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Bounded for CI: ~45 operations x MAX_EXAMPLES x 2 requests. Raise it locally to dig deeper:
# FUZZ_MAX_EXAMPLES=500 pytest -m fuzz tests/security/test_fuzz.py
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = openapi.from_wsgi("/api/v1/schema/?format=json", application)

# Only the operations that would end the fuzzing user's own session; each has its own tests
# (user/tests/test_auth.py). Deleting the account itself is prevented in the test body.
SELF_DESTRUCTIVE = [
    ("POST", "/api/v1/auth/logout/"),
    ("POST", "/api/v1/auth/logout-all/"),
    ("POST", "/api/v1/auth/password/"),
]
fuzzed = schema
for method, path in SELF_DESTRUCTIVE:
    fuzzed = fuzzed.exclude(method=method, path=path)


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, which closes "old" connections at the start
    and end of each request; inside the test's transaction that would be the test's own
    connection. Django's test client disconnects the same handler for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_user(db, keep_test_connection):
    user = UserFactory()
    return user, token_for(user)


def real_path_parameters(case, user) -> dict:
    """Path parameters naming objects that exist, owned by `user` where ownership matters."""
    path, method = case.path, case.method.upper()
    if path.startswith("/api/v1/users/{id}/"):
        if path in (
            "/api/v1/users/{id}/follow/",
            "/api/v1/users/{id}/block/",
            "/api/v1/users/{id}/mute/",
        ) or (path == "/api/v1/users/{id}/" and method == "DELETE"):
            # Following, blocking or muting someone else is the success path; deleting
            # someone else must be a refusal, and deleting the caller would end the run.
            return {"id": str(UserFactory().pk)}
        return {"id": "me"}
    if path == "/api/v1/users/{user_id}/posts/":
        post_create(author=user, text="mine #fuzz")
        return {"user_id": str(user.pk)}
    if path.startswith("/api/v1/posts/{id}/"):
        return {"id": post_create(author=user, text="mine #fuzz").pk}
    if path.startswith("/api/v1/posts/{post_id}/"):
        post = post_create(author=user, text="mine #fuzz")
        CommentFactory(post=post)
        return {"post_id": post.pk}
    if path.startswith("/api/v1/comments/{id}/"):
        return {"id": CommentFactory(author=user).pk}
    if path.startswith("/api/v1/scheduled-posts/{id}/"):
        return {"id": ScheduledPostFactory(author=user).pk}
    if path == "/api/v1/notifications/{id}/":
        other = UserFactory()
        return {"id": Notification.objects.create(recipient=user, type="follow", actor=other).pk}
    if path.startswith("/api/v1/follow-requests/{user_id}/"):
        requester = UserFactory()
        FollowRequest.objects.create(requester=requester, target=user)
        return {"user_id": requester.pk}
    if path == "/api/v1/hashtags/{name}/posts/":
        post_create(author=user, text="tagged #fuzz")
        return {"name": "fuzz"}
    assert "{" not in path, f"no real object for {method} {path}: add it here"
    return {}


@fuzzed.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # The user and token live for the whole test: every example reuses them on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_every_operation(case, fuzz_user):
    user, token = fuzz_user
    headers = {"Authorization": f"Token {token}"}
    if (case.method.upper(), case.path) == ("DELETE", "/api/v1/users/{id}/") and str(
        (case.path_parameters or {}).get("id")
    ) in ("me", str(user.pk)):
        # The schema's own example is `me`: deleting the fuzzing account would leave the rest
        # of this operation's examples with a dead token. Aim at someone else instead.
        case.path_parameters = {"id": str(UserFactory().pk)}

    case.call_and_validate(headers=headers, checks=CHECKS)

    real = real_path_parameters(case, user)
    if real:
        case.path_parameters = {**(case.path_parameters or {}), **real}
        case.call_and_validate(headers=headers, checks=CHECKS)
    # Still a working login: every example ran as the real user it meant to.
    assert AuthToken.objects.filter(user=user).exists()

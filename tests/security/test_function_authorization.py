"""OWASP API5 (broken function level authorization): the admin is for staff only, an API
token opens nothing there, and no route accepts a method it does not document.

Route inventory (every /api/v1/ route is in the schema, and the reverse):
tests/test_schema_completeness.py::test_every_api_route_is_in_the_schema.
"""

import pytest

from tests.security.conftest import snapshot
from tests.test_schema_completeness import routed_operations
from user.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def admin_login(client, user):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": user.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )


@pytest.mark.parametrize(
    ("flags", "admitted"),
    [({}, False), ({"is_staff": True}, True), ({"is_staff": True, "is_active": False}, False)],
)
def test_only_active_staff_can_log_into_the_admin(client, flags, admitted):
    person = UserFactory(**flags)

    admin_login(client, person)
    response = client.get("/admin/")

    assert (response.status_code == 200) is admitted
    if not admitted:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["/admin/", "/admin/user/user/", "/admin/post/post/"])
def test_an_api_token_does_not_open_the_admin(make_client, path):
    staff = UserFactory(is_staff=True, is_superuser=True)

    response = make_client(staff).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def _undocumented_methods():
    """Every (method, path) the router has a route for but does not serve."""
    served = routed_operations()
    paths = {operation.split(" ", 1)[1] for operation in served}
    for path in sorted(paths):
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if f"{method} {path}" not in served:
                yield method, path


# Real ids for the `{}` placeholders, by the path's resource.
def _fill(path: str, world: dict) -> str:
    for prefix, key in [
        ("/api/v1/users/{}/", "owner"),
        ("/api/v1/posts/{}/", "post"),
        ("/api/v1/comments/{}/", "comment"),
        ("/api/v1/scheduled-posts/{}/", "scheduled"),
        ("/api/v1/notifications/{}/", "notification"),
        ("/api/v1/hashtags/{}/", None),
    ]:
        if path.startswith(prefix):
            value = "owned" if key is None else world[key]
            return path.replace("{}", str(value), 1)
    return path


@pytest.mark.parametrize(("method", "path"), list(_undocumented_methods()))
def test_no_route_accepts_an_undocumented_method(auth_client, world, method, path):
    before = snapshot()

    response = getattr(auth_client, method.lower())(_fill(path, world), {})

    assert response.status_code == 405, response.content
    assert snapshot() == before

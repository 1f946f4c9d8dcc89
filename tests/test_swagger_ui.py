"""Swagger UI works for a person in a real browser, offline, with a real token.

Playwright drives Debian's Chromium (`/usr/bin/chromium`, installed by `.ci/run` from
`.ci/apt-packages`); no browser is downloaded. The page is served by pytest-django's live
server; its static files come from the apps (WHITENOISE_USE_FINDERS in settings_test).
"""

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from knox.models import AuthToken

from post.models import Post
from user.tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = BASE_DIR / "var" / "artifacts"  # var/ is git-ignored
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
TIMEOUT_MS = 20_000  # per action; Swagger UI renders a large schema on 2 shared cores

pytestmark = pytest.mark.browser


def operation(page, tag: str, operation_id: str):
    """An operation block of Swagger UI, expanded (ids are `operations-<tag>-<operationId>`)."""
    block = page.locator(f"#operations-{tag}-{operation_id}")
    block.locator(".opblock-summary").first.click()
    block.locator(".opblock-body").wait_for()
    return block


def execute(block):
    """Press Try it out's Execute; return (status code text, response body text)."""
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    body = block.locator(".live-responses-table tbody .response-col_description pre").first
    return status.inner_text().strip(), body.inner_text()


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_authorizes_and_tries_operations_offline(live_server, tmp_path):
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium (see .ci/apt-packages)"
        # `make test` on a machine with only Python skips this; CI must never skip it.
        if os.environ.get("REQUIRE_SYSTEM_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Everything the database needs happens before the browser starts: Playwright's sync API
    # runs an event loop, under which Django refuses ORM calls.
    user = UserFactory(email="swagger.ui@example.com")
    _, key = AuthToken.objects.create(user=user)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    requested: list[str] = []
    external: list[str] = []

    def guard(route):
        url = route.request.url
        requested.append(url)
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            # Abort instead of letting it hang on DNS: the test fails below either way.
            external.append(url)
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # fresh: no remembered authorization
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1600},
        )
        page = context.pages[0] if context.pages else context.new_page()
        try:
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", guard)
            page.goto(f"{live_server.url}/api/v1/docs/", wait_until="networkidle")
            page.locator(".swagger-ui .info .title").wait_for()
            assert "Social Media API" in page.locator(".swagger-ui .info .title").inner_text()

            # Authorize with the token as a client would send it.
            page.locator(".swagger-ui .auth-wrapper button.authorize").click()
            modal = page.locator(".modal-ux")
            modal.locator("input[type=text]").first.fill(f"Token {key}")
            modal.locator("button.authorize").click()
            modal.locator("button.btn-done").click()

            # GET /users/{id}/ with id=me: the caller's own view.
            me = operation(page, "Users", "users_retrieve")
            me.locator("button.try-out__btn").click()
            me.locator("tr[data-param-name='id'] input").fill("me")
            status, body = execute(me)
            assert status == "200", body
            assert json.loads(body)["email"] == "swagger.ui@example.com"

            # POST /posts/ with a JSON body typed into the request editor.
            create = operation(page, "Posts", "posts_create")
            create.locator("button.try-out__btn").click()
            create.locator("textarea.body-param__text").fill(
                json.dumps({"text": "Posted from Swagger UI #docs"})
            )
            status, body = execute(create)
            assert status == "201", body
            created = json.loads(body)
            assert created["hashtags"] == ["docs"]
            assert created["author"]["id"] == user.id

            create.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "swagger.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "swagger-failure.png"), full_page=True)
            raise
        finally:
            context.close()

    assert external == [], f"Swagger UI requested something off this machine: {external}"
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in requested)
    assert Post.objects.filter(author=user, text="Posted from Swagger UI #docs").count() == 1

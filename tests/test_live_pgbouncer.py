"""The whole stack (gunicorn, worker, beat) works through PgBouncer in transaction mode.

`.ci/run` starts PgBouncer (`.ci/pgbouncer`) and runs the live-stack tests once more with
`LIVE_STACK_DATABASE_SERVER` pointing at it. This test proves that run is what it claims: the
pooler is in transaction mode, and the API's reads, writes, token checks and the worker's
publication went through it.
"""

import time
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import psycopg2
import pytest

from tests.live_stack import DATABASE_SERVER, live_stack

pytestmark = pytest.mark.skipif(
    not DATABASE_SERVER,
    reason="runs in .ci/run's PgBouncer step (LIVE_STACK_DATABASE_SERVER)",
)


def pooler(command: str) -> list[dict]:
    """A `SHOW` command of PgBouncer's admin console, as rows of dicts."""
    server = urlsplit(DATABASE_SERVER)
    connection = psycopg2.connect(
        host=server.hostname, port=server.port, user=server.username, dbname="pgbouncer"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(command)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


@pytest.mark.worker
def test_the_stack_runs_through_pgbouncer_in_transaction_mode(tmp_path):
    config = {row["key"]: row["value"] for row in pooler("SHOW CONFIG")}
    assert config["pool_mode"] == "transaction"

    with live_stack(tmp_path, SCHEDULED_POSTS_SWEEP_SECONDS="2") as stack:
        database = urlsplit(stack.env["DATABASE_URL"]).path.lstrip("/")
        assert stack.env["DISABLE_SERVER_SIDE_CURSORS"] == "1"
        api = httpx.Client(base_url=f"{stack.base_url}/api/v1", timeout=30)
        account = {"email": f"pool{uuid.uuid4().hex[:8]}@example.org", "password": "pooled-1877"}
        assert api.post("/auth/register/", json=account).status_code == 201
        token = api.post("/auth/login/", json=account).json()["token"]
        api.headers["Authorization"] = f"Token {token}"

        post = api.post("/posts/", json={"text": "through the #pooler"})
        assert post.status_code == 201, post.text
        assert api.post(f"/posts/{post.json()['id']}/like/").status_code == 201
        publish_at = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
        scheduled = api.post("/scheduled-posts/", json={"text": "later", "publish_at": publish_at})
        assert scheduled.status_code == 201, scheduled.text

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = api.get(f"/scheduled-posts/{scheduled.json()['id']}/").json()
            if state["status"] != "scheduled":
                break
            time.sleep(0.5)
        assert state["status"] == "published", state
        feed = api.get("/feed/").json()["results"]
        assert {p["text"] for p in feed} == {"through the #pooler", "later"}
        assert api.get("/hashtags/", params={"search": "pool"}).json()["results"]

        stats = [row for row in pooler("SHOW STATS") if row["database"] == database]
        assert stats, f"nothing went through PgBouncer to {database}"
        assert stats[0]["total_xact_count"] > 10

"""A Celery worker of `make run` killed at the due second loses no scheduled post.

The filesystem broker forgets a message once a worker has taken it, so the ETA tasks a
worker holds die with it. The restarted worker sweeps once as it starts; with beat's sweep
far off, only that explains every post being published soon after the restart, and the
row-level claim makes each one published exactly once, even a publication the kill cut off.

Posts are due every SPREAD seconds up to the kill, so the worker is publishing when it dies,
and the last few are due a moment after it: their tasks are surely lost, and they are overdue
by the time a restarted worker is ready (a Python process takes far longer to start).
"""

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.live_stack import live_stack

EARLY, LAST = 9, 6  # posts due before the kill, and due just after it
# Beat's first sweep comes this long after the stack starts: well after this test's window.
SWEEP_SECONDS = 120
DUE_IN = 6.0  # seconds from scheduling to the last due time: the worker took every ETA task
SPREAD = 0.2  # seconds between the due times of the early posts
KILL_BEFORE = 0.1  # seconds before the last posts are due
RECOVERY_WINDOW = 40  # seconds after the restarted worker is ready
PASSWORD = "worker-crash-1843"


@pytest.mark.worker
def test_a_worker_killed_at_the_due_second_publishes_every_post_once_on_restart(tmp_path):
    with live_stack(tmp_path, SCHEDULED_POSTS_SWEEP_SECONDS=str(SWEEP_SECONDS)) as stack:
        api = httpx.Client(base_url=f"{stack.base_url}/api/v1", timeout=30)
        email = f"crash{uuid.uuid4().hex[:8]}@example.org"
        account = {"email": email, "password": PASSWORD}
        author = api.post("/auth/register/", json=account).json()["id"]
        token = api.post("/auth/login/", json=account).json()["token"]
        api.headers["Authorization"] = f"Token {token}"
        stack.wait_for_log("worker", " ready.")

        kill_at = time.monotonic() + DUE_IN - KILL_BEFORE
        due = datetime.now(UTC) + timedelta(seconds=DUE_IN)
        texts = set()
        for i in range(EARLY + LAST):
            publish_at = due - timedelta(seconds=max(EARLY - i, 0) * SPREAD)
            text = f"crash {i}"
            reply = api.post(
                "/scheduled-posts/", json={"text": text, "publish_at": publish_at.isoformat()}
            )
            assert reply.status_code == 201, reply.text
            texts.add(text)

        time.sleep(max(kill_at - time.monotonic(), 0))
        stack.kill("worker")
        restart_log_offset = stack.logs["worker"].stat().st_size
        stack.start("worker")
        stack.wait_for_log("worker", " ready.", after=restart_log_offset)
        assert datetime.now(UTC) > due, "the worker was back before the last posts were due"

        deadline = time.monotonic() + RECOVERY_WINDOW
        while time.monotonic() < deadline:
            pending = api.get("/scheduled-posts/", params={"status": "scheduled"}).json()
            if not pending["results"]:
                break
            time.sleep(0.5)
        posts = api.get(f"/users/{author}/posts/", params={"page_size": 100}).json()["results"]
        scheduled = api.get("/scheduled-posts/", params={"page_size": 100}).json()["results"]
        logs = stack.log_tails()
        beat_log = stack.logs["beat"].read_text()

    assert "publish-overdue-scheduled-posts" not in beat_log, "beat swept: the test proves nothing"
    statuses = {row["text"]: row["status"] for row in scheduled}
    assert statuses == dict.fromkeys(texts, "published"), logs
    published = sorted(post["text"] for post in posts)
    assert published == sorted(texts), f"each post exactly once\n{logs}"

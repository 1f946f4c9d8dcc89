"""A real `celery worker` subprocess for tests, against the test database and broker.

Not eager mode: the task goes through the configured broker (Redis in CI, kombu's
`filesystem://` locally) to another process, which reads the test database through its own
connection. Tests using it need `django_db(transaction=True)`, so what they write is
committed and visible to the worker, and `transaction.on_commit` really sends.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.processes import stop_group

BASE_DIR = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 60  # seconds; two shared cores in CI


def database_url() -> str:
    """The URL of the database this test runs against (the test database, not the real one)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"no worker test support for {connection.vendor}")


def worker_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="social_media.settings_test",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def flush_broker() -> None:
    """Drop every message waiting in the broker, as a Redis FLUSHDB or a lost disk would."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()
    elif url.startswith("filesystem://"):
        queue = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        for message in queue.iterdir():
            if message.is_file():
                message.unlink(missing_ok=True)
            else:
                shutil.rmtree(message, ignore_errors=True)
    else:
        raise NotImplementedError(f"cannot flush {url.split(':', 1)[0]}")


@contextlib.contextmanager
def celery_worker(
    log: Path, *, env: dict[str, str], beat_schedule: Path | None = None
) -> Iterator[Path]:
    """Start `celery worker` (with embedded beat when `beat_schedule` is given), wait until it
    is ready, yield its log, and stop it (and its children) afterwards, whatever happened."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "social_media",
        "worker",
        "--pool=solo",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        f"--hostname=scheduled-test-{uuid.uuid4().hex[:12]}@%h",
        "--loglevel=INFO",
    ]
    if beat_schedule is not None:
        command += ["--beat", f"--schedule={beat_schedule}"]
    with log.open("wb") as out:
        # A session of its own, so stopping it reaches the embedded beat process too.
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: " ready." in log.read_text(errors="replace"),
            timeout=READY_TIMEOUT,
            message=lambda: f"worker not ready (exit code {process.poll()})\n{tail(log)}",
            alive=lambda: process.poll() is None,
        )
        yield log
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    stop_group(process, grace=30)  # SIGTERM first: celery's warm shutdown
    # The embedded beat is a child in the same session; make sure nothing outlives the test.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def wait_for(
    condition: Callable[[], bool],
    *,
    timeout: float,
    message: Callable[[], str],
    alive: Callable[[], bool] = lambda: True,
    interval: float = 0.2,
) -> float:
    """Poll until `condition()`; return the seconds it took, or fail with `message()`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if condition():
            return time.monotonic() - start
        if not alive():
            break
        time.sleep(interval)
    raise AssertionError(message())


def tail(log: Path, lines: int = 60) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return f"--- {log}\n" + "\n".join(text.splitlines()[-lines:])

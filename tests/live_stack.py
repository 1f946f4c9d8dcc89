"""A throwaway copy of what `make run` starts, for tests that talk HTTP to a real server.

runserver, a Celery worker and Celery beat run as subprocesses with the settings `make run`
uses (DEBUG on, SQLite, kombu's serverless `filesystem://` broker), but every piece of
state (database, broker folders, media, beat's schedule file) lives in a temporary folder,
so a run shares nothing with `var/` or with another run.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # seconds for runserver to answer /health/ (2 shared cores in CI)


@dataclass
class LiveStack:
    base_url: str
    env: dict[str, str]
    logs: dict[str, Path] = field(default_factory=dict)

    def log_tails(self, lines: int = 40) -> str:
        """The end of every process's log, for an assertion message that explains a failure."""
        parts = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {name} ({path})\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(root: Path, **overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    # pytest-django exported the test settings; the server must run like `make run`.
    env.update(
        DJANGO_SETTINGS_MODULE="social_media.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_BROKER_DIR=str(root / "broker"),
        # One web process: a per-process cache keeps the throttle counters to this run.
        CACHE_URL="locmemcache://",
        MEDIA_ROOT=str(root / "media"),
        # The beat sweep is the safety net that publishes overdue scheduled posts; a short
        # period keeps the walkthrough's 60 s wait far from its limit.
        SCHEDULED_POSTS_SWEEP_SECONDS="2",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def _stop(process: subprocess.Popen) -> None:
    """Terminate a process and its children (celery's pool), then kill what is left."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_until_healthy(stack: LiveStack, processes: dict[str, subprocess.Popen]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}\n{stack.log_tails()}")
        try:
            health = f"{stack.base_url}/api/v1/health/"  # always http://127.0.0.1
            with urllib.request.urlopen(health, timeout=5) as reply:  # noqa: S310
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        time.sleep(0.5)
    raise RuntimeError(
        f"server not healthy after {START_TIMEOUT} s: {last_error}\n{stack.log_tails()}"
    )


@contextlib.contextmanager
def live_stack(root: Path, **env_overrides: str) -> Iterator[LiveStack]:
    """Migrate a fresh database under `root`, start web, worker and beat; stop them after."""
    port = free_port()
    env = stack_env(root, **env_overrides)
    stack = LiveStack(base_url=f"http://127.0.0.1:{port}", env=env)
    python = sys.executable

    migrate = subprocess.run(
        [python, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if migrate.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")

    commands = {
        "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        # One pool process is plenty for a walkthrough and spares the shared CPU.
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "social_media",
            "worker",
            "--loglevel=INFO",
            "--concurrency=1",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "social_media",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(root / "celerybeat-schedule"),
        ],
    }
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command in commands.items():
            log = root / f"{name}.log"
            stack.logs[name] = log
            with log.open("wb") as out:
                # A session of its own, so stopping it reaches the worker's pool children.
                processes[name] = subprocess.Popen(
                    command,
                    cwd=BASE_DIR,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        _wait_until_healthy(stack, processes)
        yield stack
    finally:
        for process in processes.values():
            _stop(process)

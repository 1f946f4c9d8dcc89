"""A throwaway deployment for tests that talk HTTP to a real server.

The web, worker and beat commands are read from docker-compose.yml and run as they are
(gunicorn with gunicorn.conf.py, `celery worker`, `celery beat`), so what CI exercises is
what Compose deploys. Configuration is `make run`'s (DEBUG on, SQLite, kombu's serverless
`filesystem://` broker), and every piece of state (database, broker folders, media, beat's
schedule file) lives in a temporary folder, so a run shares nothing with `var/` or with
another run.
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

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 90  # seconds for the server to answer /health/ (2 shared cores in CI)


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
        CELERY_BEAT_SCHEDULE_FILENAME=str(root / "celerybeat-schedule"),
        # One gunicorn worker: a per-process cache keeps the throttle counters consistent.
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="-",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def compose_commands() -> dict[str, list[str]]:
    """The `command` of the migrate, web, worker and beat services of docker-compose.yml,
    with the program taken from this virtualenv."""
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    bin_dir = Path(sys.executable).parent
    commands = {}
    for name in ("migrate", "web", "worker", "beat"):
        program, *args = services[name]["command"]
        commands[name] = [str(bin_dir / program), *args]
    return commands


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
    commands = compose_commands()

    migrate = subprocess.run(
        commands.pop("migrate"),
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if migrate.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")

    env["PORT"] = str(port)
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

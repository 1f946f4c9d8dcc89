"""A throwaway deployment for tests that talk HTTP to a real server.

The web, worker and beat commands are read from docker-compose.yml and run as they are
(gunicorn with gunicorn.conf.py, `celery worker`, `celery beat`), so what CI exercises is
what Compose deploys. Configuration is `make run`'s (DEBUG on, SQLite, kombu's serverless
`filesystem://` broker), and every piece of state (database, broker folders, media, beat's
schedule file) lives in a temporary folder, so a run shares nothing with `var/` or with
another run. A test may kill one process and start it again (`LiveStack.kill`, `.start`), as
honcho's restart of `make run` would after a crash.

With `LIVE_STACK_DATABASE_SERVER` set (a `postgres://` URL without a database name, e.g.
PgBouncer in transaction mode, as `.ci/run` starts it), each stack gets a fresh PostgreSQL
database on that server instead, with `DISABLE_SERVER_SIDE_CURSORS` on, unless the test asks
for a `DATABASE_URL` of its own (the SQLite locking test does).
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

import psycopg2
import yaml

from tests.processes import BASE_DIR, run_captured, stop_group

START_TIMEOUT = 90  # seconds for the server to answer /health/ (2 shared cores in CI)


@dataclass
class LiveStack:
    base_url: str
    env: dict[str, str]
    logs: dict[str, Path] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str) -> subprocess.Popen:
        """Start one process (web, worker or beat); its output is appended to its log."""
        log = self.logs.setdefault(name, Path(self.env["LIVE_STACK_ROOT"]) / f"{name}.log")
        with log.open("ab") as out:
            # A session of its own, so stopping it reaches the worker's pool children.
            self.processes[name] = subprocess.Popen(
                self.commands[name],
                cwd=BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self.processes[name]

    def kill(self, name: str) -> None:
        """SIGKILL one process and its children at once, as a crash or the OOM killer would:
        no shutdown code runs, nothing is acknowledged or handed back."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def wait_for_log(self, name: str, text: str, *, after: int = 0, timeout: float = 60) -> None:
        """Wait until `text` shows in the log of `name` past byte `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text.encode() in self.logs[name].read_bytes()[after:]:
                return
            if self.processes[name].poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not log {text!r} in {timeout} s\n{self.log_tails()}")

    def stop_all(self) -> None:
        for process in self.processes.values():
            stop_group(process, grace=15)

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
        # One gunicorn worker: a per-process cache keeps the throttle counters consistent. A
        # test that raises it must raise the throttle rates it meets too.
        WEB_CONCURRENCY="1",
        GUNICORN_ACCESS_LOG="-",
        PYTHONUNBUFFERED="1",
        LIVE_STACK_ROOT=str(root),
    )
    env.update(overrides)
    return env


def procfile_web_command(port: int) -> list[str]:
    """The Procfile's `web:` command (`make run`'s Django runserver) on `port`, with the
    program taken from this virtualenv."""
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            program, *args = line.removeprefix("web:").replace("$PORT", str(port)).split()
            return [str(Path(sys.executable).parent / program), *args]
    raise RuntimeError("the Procfile has no web: command")


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


DATABASE_SERVER = os.environ.get("LIVE_STACK_DATABASE_SERVER", "")
DIRECT_SERVER = os.environ.get("LIVE_STACK_DIRECT_SERVER", "postgres://postgres@127.0.0.1:5432")


def _admin(sql: str) -> None:
    """One statement on the PostgreSQL server itself (not through the pooler), autocommit."""
    connection = psycopg2.connect(f"{DIRECT_SERVER}/postgres")
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


@contextlib.contextmanager
def _database(root: Path, env_overrides: dict) -> Iterator[dict[str, str]]:
    """The database settings of one stack: a file under `root`, or a fresh PostgreSQL
    database on `LIVE_STACK_DATABASE_SERVER`, dropped afterwards."""
    if not DATABASE_SERVER or "DATABASE_URL" in env_overrides:
        yield {}
        return
    name = f"live_stack_{os.getpid()}_{time.monotonic_ns()}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield {
            "DATABASE_URL": f"{DATABASE_SERVER.rstrip('/')}/{name}",
            "DISABLE_SERVER_SIDE_CURSORS": "1",
        }
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def live_stack(root: Path, *, runserver: bool = False, **env_overrides: str) -> Iterator[LiveStack]:
    """Migrate a fresh database, start web, worker and beat; stop them after. The web server
    is Compose's gunicorn, or with `runserver` the Procfile's (what `make run` serves)."""
    with _database(root, env_overrides) as database:
        yield from _live_stack(root, {**database, **env_overrides}, runserver=runserver)


def _live_stack(root: Path, env_overrides: dict, *, runserver: bool) -> Iterator[LiveStack]:
    port = free_port()
    env = stack_env(root, **env_overrides)
    commands = compose_commands()
    if runserver:
        # Without the autoreloader: a file saved in the work tree during a run would restart
        # the server mid-request.
        commands["web"] = [*procfile_web_command(port), "--noreload"]
    stack = LiveStack(base_url=f"http://127.0.0.1:{port}", env=env, commands=commands)

    migrate = run_captured(commands.pop("migrate"), env=env, timeout=300)
    if migrate.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")

    env["PORT"] = str(port)
    try:
        for name in commands:
            stack.logs[name] = root / f"{name}.log"
            stack.logs[name].unlink(missing_ok=True)
            stack.start(name)
        _wait_until_healthy(stack, stack.processes)
        yield stack
    finally:
        stack.stop_all()

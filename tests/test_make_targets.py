"""Every `make` target the README documents works on a fresh clone with nothing configured.

The clone is the working tree as git would check it out (tracked and unignored files: no
`var/`, no `.env`), run in an environment without SECRET_KEY, DEBUG, DATABASE_URL, broker
or cache variables: a new developer's machine. The virtualenv is this run's, so no target
reinstalls anything (the requirement files are made older than its stamp).
`make bench` is left out: it needs PostgreSQL, Redis and minutes (see the README).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.live_stack import BASE_DIR

VENV = Path(sys.executable).parent.parent
NOT_ON_A_FRESH_MACHINE = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_BROKER_DIR",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
    "MEDIA_ROOT",
    "TEST_MEDIA_ROOT",
)
OLD = 946_684_800  # 2000-01-01: older than any virtualenv's stamp


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fresh-clone")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=BASE_DIR,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = BASE_DIR / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    for requirements in root.glob("requirements*.txt"):
        os.utime(requirements, (OLD, OLD))
    return root


def fresh_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_ON_A_FRESH_MACHINE}
    env.update(extra)
    return env


def make(clone: Path, *targets: str, timeout: int = 300, **env: str):
    return subprocess.run(
        ["make", f"VENV={VENV}", *targets],
        cwd=clone,
        env=fresh_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_ok(result) -> None:
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{result.args}\n{output}"


def starts(clone: Path, target: str, ready: str, timeout: int = 90) -> str:
    """Start a long-running target, wait for `ready` in its output, stop it; its output."""
    log = clone / f"{target}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", f"VENV={VENV}", target],
            cwd=clone,
            env=fresh_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if ready in log.read_text(errors="replace"):
                break
            time.sleep(0.5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
    return log.read_text(errors="replace")


def test_help_lists_every_documented_target(clone):
    result = make(clone, "help")

    assert_ok(result)
    for target in ("run", "test", "migrate", "demo", "superuser", "worker", "beat", "bench"):
        assert f"make {target} " in result.stdout


def test_migrate_demo_and_superuser_work_on_a_fresh_clone(clone):
    assert_ok(make(clone, "migrate"))
    assert_ok(make(clone, "demo"))
    assert_ok(
        make(
            clone,
            "superuser",
            DJANGO_SUPERUSER_EMAIL="admin@example.com",
            DJANGO_SUPERUSER_USERNAME="admin",
            DJANGO_SUPERUSER_PASSWORD="a-long-admin-passphrase-42",
        )
    )

    check = subprocess.run(
        [
            str(VENV / "bin" / "python"),
            "-c",
            "import django; django.setup(); from user.models import User; "
            "print(User.objects.filter(is_superuser=True).count(), User.objects.count())",
        ],
        cwd=clone,
        env=fresh_env(DEBUG="1", DJANGO_SETTINGS_MODULE="social_media.settings"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    superusers, users = map(int, check.stdout.split())
    assert superusers == 1
    assert users > 20  # the demo's people
    assert (clone / "var" / "db.sqlite3").exists()


@pytest.mark.worker
def test_worker_and_beat_start_on_a_fresh_clone(clone):
    worker = starts(clone, "worker", " ready.")
    beat = starts(clone, "beat", "beat: Starting")

    assert " ready." in worker, worker[-3000:]
    assert "ImproperlyConfigured" not in worker
    assert "beat: Starting" in beat, beat[-3000:]
    assert "ImproperlyConfigured" not in beat


def test_lint_passes_on_a_fresh_clone(clone):
    assert_ok(make(clone, "lint"))


def test_the_production_rule_still_holds(clone):
    """DEBUG off in the environment wins over the targets' default, and then no key means
    no start."""
    result = make(clone, "migrate", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_clean_removes_local_state_only(clone):
    (clone / "var").mkdir(exist_ok=True)
    result = subprocess.run(
        ["make", "clean"],
        cwd=clone,
        env=fresh_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert_ok(result)
    assert not (clone / "var").exists()
    assert (clone / "manage.py").exists()

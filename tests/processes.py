"""Running the project's commands from tests: output captured, time bounded, nothing left
behind."""

import contextlib
import os
import signal
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_captured(
    command, *, timeout: float, cwd=BASE_DIR, env=None, check: bool = False
) -> subprocess.CompletedProcess:
    """`command` run to its end with its stdout and stderr kept as text, for the assertion
    that reads them; a command that hangs fails the test after `timeout` seconds."""
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=check
    )


def stop_group(process: subprocess.Popen, *, grace: float) -> None:
    """Terminate a process started in a session of its own and its children (celery's pool,
    an embedded beat); what is still running after `grace` seconds is killed."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

"""Schemathesis against live servers, as a client meets the API (OWASP API4, API8, API9).

tests/security/test_fuzz.py fuzzes in process (WSGI, one test transaction); this one starts a
real deployment per mode and runs schemathesis' own command on it, every phase: examples,
coverage and fuzzing (stateless, every operation) and stateful (sequences of calls that
follow the schema's OpenAPI links, e.g. a post's `id` from POST /posts/ into its comments).
Every response must pass every check below: never a 5xx, a documented status, content type,
headers and body, and a request the schema calls invalid refused with a 4xx.

Modes: `make run`'s web server (the Procfile's runserver, DEBUG on) and Compose's gunicorn
with DEBUG off, where error pages and renderers differ. Both on SQLite with the filesystem
broker (or on the CI's PostgreSQL, see tests/live_stack.py).

The run is authenticated as one freshly registered user. Logging out and changing the
password would end that session (user/tests/test_auth.py tests them); deleting the account
is aimed at someone else (tests/security/fuzz_live_hooks.py).

Bounded for CI (well under a minute per mode). Dig deeper locally:
FUZZ_LIVE_MAX_EXAMPLES=100 FUZZ_LIVE_SEED=$RANDOM pytest tests/security/test_fuzz_live.py
"""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live_stack import BASE_DIR, live_stack
from tests.processes import run_captured

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = os.environ.get("FUZZ_LIVE_MAX_EXAMPLES", "10")
SEED = os.environ.get("FUZZ_LIVE_SEED", "1")
RUN_TIMEOUT = int(os.environ.get("FUZZ_LIVE_TIMEOUT", "600"))  # seconds per mode

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
SESSION_ENDING = ["/api/v1/auth/logout/", "/api/v1/auth/logout-all/", "/api/v1/auth/password/"]

# Fuzzing sends thousands of requests a minute from one address and one account; the limits
# have their own tests, and a documented 429 would pass the checks but test nothing.
UNTHROTTLED = {
    f"THROTTLE_{scope}": "1000000/min"
    for scope in [
        *("ANON", "USER", "REGISTER", "MEDIA", "POSTS"),
        *("LOGIN", "LOGIN_EMAIL", "LOGIN_ACCOUNT"),
    ]
}
MODES = {
    "runserver-debug": {"runserver": True},
    "gunicorn-production": {
        "DEBUG": "0",
        "SECRET_KEY": "fuzz-live-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    },
}
PASSWORD = "fuzzing-is-not-guessing-42"


def _post(base_url: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
        base_url + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
        return json.load(reply)


def _register(base_url: str, username: str) -> dict:
    email = f"{username}@example.org"
    user = _post(base_url, "/api/v1/auth/register/", {"email": email, "password": PASSWORD})
    return {**user, "email": email}


def _status_of_own_profile(base_url: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310
        f"{base_url}/api/v1/users/me/", headers={"Authorization": f"Token {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:  # noqa: S310
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def _schemathesis(base_url: str, token: str, env: dict, report: Path):
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{base_url}/api/v1/schema/?format=json",
        "--header",
        f"Authorization: Token {token}",
        # runserver answers a kept-alive connection's requests ~40 ms late (delayed ACKs);
        # gunicorn's sync workers close every connection anyway.
        "--header",
        "Connection: close",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        ",".join(PHASES),
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "1",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
        *[arg for path in SESSION_ENDING for arg in ("--exclude-path", path)],
    ]
    return run_captured(command, env=env, timeout=RUN_TIMEOUT)


@pytest.mark.parametrize("mode", list(MODES))
def test_every_operation_passes_every_check_in_every_phase(tmp_path, mode):
    options = dict(MODES[mode])
    runserver = bool(options.pop("runserver", False))
    with live_stack(tmp_path, runserver=runserver, **UNTHROTTLED, **options) as stack:
        fuzzer = _register(stack.base_url, "fuzzer")
        other = _register(stack.base_url, "bystander")
        login = {"email": fuzzer["email"], "password": PASSWORD}
        token = _post(stack.base_url, "/api/v1/auth/login/", login)["token"]
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.security.fuzz_live_hooks",
            "PYTHONPATH": str(BASE_DIR),
            "FUZZ_LIVE_USER_ID": str(fuzzer["id"]),
            "FUZZ_LIVE_OTHER_ID": str(other["id"]),
        }

        run = _schemathesis(stack.base_url, token, env, tmp_path / "junit.xml")

        assert run.returncode == 0, f"{run.stdout}\n{run.stderr}\n{stack.log_tails(20)}"
        # Every phase ran (none skipped for want of operations or links) ...
        for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
            assert f"✅  {phase}" in run.stdout, run.stdout
        # ... and as the user it meant to: the session outlived the run.
        assert _status_of_own_profile(stack.base_url, token) == 200

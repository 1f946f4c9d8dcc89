"""The TypeScript client script (clients/typescript) type-checks against types generated from
the schema, and its compiled JavaScript runs the scenario against a live server.

It needs the pinned npm packages (`npm ci` in clients/typescript, as `make clients` runs);
without them it skips, unless REQUIRE_TYPESCRIPT_CLIENT=1 (CI, after `make clients`).
"""

import os
import shutil
import sys

import pytest

from tests.clients.test_python_client import BIN
from tests.live_stack import BASE_DIR, live_stack
from tests.processes import run_captured

PROJECT = BASE_DIR / "clients" / "typescript"
BINARIES = PROJECT / "node_modules" / ".bin"

pytestmark = [
    pytest.mark.clients,
    pytest.mark.skipif(
        not (BINARIES / "tsc").exists() and os.environ.get("REQUIRE_TYPESCRIPT_CLIENT") != "1",
        reason="run `make clients` (npm ci in clients/typescript) first",
    ),
]


def run(command, cwd, env=None, timeout=300):
    result = run_captured(command, cwd=cwd, env=env, timeout=timeout)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_typescript_client_type_checks_and_runs_against_a_live_server(tmp_path):
    # A copy of the project beside its installed packages, so generated files stay out of
    # the work tree.
    work = tmp_path / "typescript"
    (work / "src").mkdir(parents=True)
    for name in ("package.json", "tsconfig.json"):
        shutil.copy(PROJECT / name, work / name)
    shutil.copy(PROJECT / "src" / "scenario.ts", work / "src" / "scenario.ts")
    (work / "node_modules").symlink_to(PROJECT / "node_modules")

    schema = tmp_path / "openapi.yaml"
    run(
        [sys.executable, "manage.py", "spectacular", "--file", str(schema)],
        BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "social_media.settings",
            "DEBUG": "0",
            "SECRET_KEY": "client-generation",
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        },
    )
    run([str(BINARIES / "openapi-typescript"), str(schema), "--output", "src/api.d.ts"], work)
    run([str(BINARIES / "tsc"), "--noEmit"], work)
    run([str(BINARIES / "tsc")], work)

    with live_stack(tmp_path / "stack") as stack:
        output = run(
            ["node", "build/scenario.js"],
            work,
            env={**os.environ, "BASE_URL": stack.base_url},
            timeout=120,
        )

    assert "TypeScript client scenario passed" in output

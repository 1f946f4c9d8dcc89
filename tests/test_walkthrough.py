"""The README's curl walkthrough is executable, and the README shows exactly that script.

If the API and the README drift apart, one of these tests fails: the script asserts every
status code it gets from a live server, and the README must contain the script verbatim.
"""

import os
import re
import shutil
import subprocess

import pytest

from tests.live_stack import BASE_DIR, live_stack

SCRIPT = BASE_DIR / "docs" / "walkthrough.sh"
README = BASE_DIR / "README.md"
WALKTHROUGH_TIMEOUT = 240  # seconds; the script itself waits at most 60 s for the worker


@pytest.mark.walkthrough
@pytest.mark.skipif(
    shutil.which("curl") is None and os.environ.get("REQUIRE_SYSTEM_TOOLS") != "1",
    reason="the walkthrough needs curl (CI installs it and never skips)",
)
def test_walkthrough_script_passes_against_a_live_server(tmp_path):
    with live_stack(tmp_path) as stack:
        result = subprocess.run(
            ["bash", str(SCRIPT)],
            cwd=BASE_DIR,
            env={**stack.env, "BASE_URL": stack.base_url},
            capture_output=True,
            text=True,
            timeout=WALKTHROUGH_TIMEOUT,
            check=False,
        )
        logs = stack.log_tails() if result.returncode != 0 else ""

    assert result.returncode == 0, (
        f"walkthrough failed (exit {result.returncode})\n--- stdout\n{result.stdout}\n"
        f"--- stderr\n{result.stderr}\n{logs}"
    )
    assert "Walkthrough finished" in result.stdout


def readme_walkthrough() -> str:
    """The fenced ```bash block between the walkthrough markers of the README."""
    readme = README.read_text()
    section = re.search(
        r"<!-- walkthrough:start -->(.*?)<!-- walkthrough:end -->", readme, re.DOTALL
    )
    assert section, "README.md lacks the <!-- walkthrough:start/end --> markers"
    block = re.search(r"^```bash\n(.*?)^```$", section.group(1), re.DOTALL | re.MULTILINE)
    assert block, "no ```bash block between the walkthrough markers"
    return block.group(1)


def test_readme_shows_the_walkthrough_script_verbatim():
    assert readme_walkthrough() == SCRIPT.read_text(), (
        "README.md's walkthrough differs from docs/walkthrough.sh; paste the script between "
        "the markers again"
    )


def test_walkthrough_script_is_valid_bash():
    result = subprocess.run(
        ["bash", "-n", str(SCRIPT)], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr

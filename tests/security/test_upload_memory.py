"""The memory one avatar upload costs is bounded by the avatar pixel cap.

An all-zero RGBA PNG of a few kilobytes can declare just under `AVATAR_MAX_PIXELS` pixels
(4 bytes each once decoded); a handful of those at once must not exhaust a web worker: at
most 3 decoded copies (today about 2: the decoded pixels and the premultiplied copy Pillow
resamples RGBA in; before the fix, 5). A JPEG as large is decoded at a fraction of its size
(DCT scaling), so it must cost less than a quarter of one decoded RGBA copy.

The decode runs in a fresh process: Pillow's buffers live outside Python's allocator, so only
the resident size sees them. The peak is the process's own high-water mark (`VmHWM`), not
`ru_maxrss`: Linux carries `ru_maxrss` over from the parent through fork and exec, so a child
of a large test runner would start with the runner's peak and hide the upload's.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.images import blank_rgba_png, flat_jpeg

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/status (Linux)"
)

ROOT = Path(__file__).resolve().parents[2]

# Decodes the file named on the command line the way PATCH /users/me/ does and prints the
# resident size before (after the imports) and the peak after, in KiB.
MEASURE = """
import json, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from user.serializers import OwnUserSerializer

def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith(field + ":"))

data = open(sys.argv[1], "rb").read()
upload = SimpleUploadedFile("avatar", data)
before = status("VmRSS")
OwnUserSerializer().validate_avatar(upload)
print(json.dumps({"before_kib": before, "peak_kib": status("VmHWM")}))
"""


# kind: (encoder of a side x side image, allowed increase in decoded RGBA copies at the cap)
CASES = {"rgba png": (blank_rgba_png, 3), "jpeg": (flat_jpeg, 1 / 4)}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_one_avatar_at_the_pixel_cap_has_a_bounded_peak(tmp_path, case):
    encoder, copies = case
    side = math.isqrt(settings.AVATAR_MAX_PIXELS - 1)  # just under the cap
    upload = tmp_path / "avatar"
    upload.write_bytes(encoder(side))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "social_media.settings_test",
        "PYTHONPATH": str(ROOT),
        "TEST_MEDIA_ROOT": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(upload)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    increase = (measured["peak_kib"] - measured["before_kib"]) * 1024
    allowed = copies * settings.AVATAR_MAX_PIXELS * 4
    assert increase <= allowed, (
        f"{side}x{side} avatar: peak +{increase / 2**20:.0f} MiB, "
        f"allowed {allowed / 2**20:.0f} MiB ({copies} decoded RGBA copies)"
    )

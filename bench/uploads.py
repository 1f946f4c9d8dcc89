"""The uploads phase: `/posts/` latency while large avatars are being decoded.

Four clients each PATCH `/users/me/` in a loop with an all-zero RGBA PNG just under
`AVATAR_MAX_PIXELS` (a few kilobytes on the wire, about 64 MB once decoded): the upload a
client can make most expensive per byte sent. Meanwhile `/posts/` is loaded as in the load
phase; its p50 is compared with `/posts/` alone, measured just before. With 2 sync workers
the uploads occupy workers, so the difference is mostly queueing behind the decodes.
"""

import math
import threading
import time
from dataclasses import dataclass, field

import httpx
from django.conf import settings

from bench.load import Request, Result, run_load
from bench.scenario import Scenario
from tests.images import blank_rgba_png

UPLOADERS = 4
_RECORD = threading.Lock()


@dataclass
class UploadsUnderLoad:
    alone: Result
    during: Result
    side: int
    upload_ms: list[float] = field(default_factory=list)
    upload_statuses: dict[int, int] = field(default_factory=dict)

    @property
    def uploads(self) -> int:
        return len(self.upload_ms)

    @property
    def upload_p50_ms(self) -> float:
        ordered = sorted(self.upload_ms)
        return ordered[len(ordered) // 2] if ordered else float("nan")


def upload_loop(base: str, token: str, png: bytes, stop: threading.Event, out: UploadsUnderLoad):
    headers = {"Authorization": f"Token {token}"}
    with httpx.Client(timeout=60, headers=headers) as client:
        while not stop.is_set():
            started = time.perf_counter()
            response = client.patch(
                base + "/api/v1/users/me/", files={"avatar": ("big.png", png, "image/png")}
            )
            elapsed = (time.perf_counter() - started) * 1000
            with _RECORD:
                out.upload_ms.append(elapsed)
                code = response.status_code
                out.upload_statuses[code] = out.upload_statuses.get(code, 0) + 1


def run(base: str, s: Scenario, duration: float, connections: int) -> UploadsUnderLoad:
    posts = [Request("GET", "/api/v1/posts/", s.token(u)) for u in s.typical]
    alone = run_load(base, "posts", posts, duration, connections)
    side = math.isqrt(settings.AVATAR_MAX_PIXELS - 1)
    png = blank_rgba_png(side)
    result = UploadsUnderLoad(alone=alone, during=alone, side=side)
    stop = threading.Event()
    uploaders = [
        threading.Thread(target=upload_loop, args=(base, s.token(u), png, stop, result))
        for u in s.typical[:UPLOADERS]
    ]
    for thread in uploaders:
        thread.start()
    time.sleep(0.5)  # the first uploads are in the workers before the reads start
    try:
        result.during = run_load(base, "posts during uploads", posts, duration, connections)
    finally:
        stop.set()
        for thread in uploaders:
            thread.join()
    return result

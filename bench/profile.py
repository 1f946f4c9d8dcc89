"""Where a request's time goes: py-spy on every gunicorn worker while wrk loads one endpoint.

py-spy samples the workers from outside (no code change, production settings) with
`--idle`, so time spent waiting on PostgreSQL counts. Each busy sample is charged to one
layer (the innermost recognised frame: a database round trip inside a serializer counts
as the round trip), and the project's own functions are ranked by inclusive time.
"""

import re
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import VENV_BIN

IDLE = r"(wait|select|accept) \(.*gunicorn/workers"
# Layers, for an exclusive breakdown: each busy sample goes to the layer of the innermost
# frame that matches one of these patterns (checked from the leaf up).
LAYERS = [
    ("PostgreSQL round trips (cursor.execute)", r"_execute \(django/db/backends/utils"),
    ("connection health check (CONN_HEALTH_CHECKS)", r"is_usable \(django/db/backends"),
    (
        "Redis round trips (throttles, feed cache)",
        r"\(redis/|\(django_redis/",
    ),
    ("knox token hashing", r"\(knox/crypto|hash_token"),
    (
        "SQL compilation",
        r"\(django/db/models/sql/compiler|\(django/db/backends/postgresql/compiler",
    ),
    (
        "building querysets (filter, annotate, clone)",
        r"\(django/db/models/(sql/|query|expressions|lookups|fields/related)",
    ),
    ("model instances", r"\(django/db/models/base"),
    ("JSON encoding", r"\(json/|\(rest_framework/(renderers|utils/encoders)"),
    ("DRF serializers and fields", r"\(rest_framework/(serializers|fields|relations)"),
    ("cursor pagination", r"\(rest_framework/pagination|\(social_media/pagination"),
    ("URL reversing", r"\(django/urls/"),
    ("DRF views, auth, permissions, throttles", r"\(rest_framework/|\(knox/|\(django_filters/"),
    ("project code", r"\((user|post|social_media)/"),
    ("Django request/response and middleware", r"\(django/|\(corsheaders/|\(whitenoise/"),
    ("gunicorn (parse, write, close)", r"\(gunicorn/"),
]


@dataclass
class Profile:
    endpoint: str
    samples: int
    busy_samples: int
    categories: list[tuple[str, float]] = field(default_factory=list)  # share of busy
    top_self: list[tuple[str, float]] = field(default_factory=list)
    top_project: list[tuple[str, float]] = field(default_factory=list)
    raw_path: str = ""


def available() -> bool:
    return (VENV_BIN / "py-spy").exists() or shutil.which("py-spy") is not None


def executable() -> str:
    return str(VENV_BIN / "py-spy") if (VENV_BIN / "py-spy").exists() else "py-spy"


def spy(pid: int, out, seconds: float | None = None) -> subprocess.Popen:
    """py-spy sampling `pid` at 200 Hz, waits included, into raw folded stacks at `out`;
    for `seconds`, or until it is stopped."""
    duration = ["-d", str(int(seconds))] if seconds is not None else []
    output = ["--nolineno", "--format", "raw", "-o", str(out)]
    return subprocess.Popen(
        [executable(), "record", "-p", str(pid), *duration, "-r", "200", "--idle", *output],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def record(pids: list[int], seconds: float, load) -> list[str]:
    """Sample every pid for `seconds` while `load()` runs; return folded stack lines."""
    folder = Path(tempfile.mkdtemp(prefix="bench-pyspy-"))
    outputs = [str(folder / f"{pid}.txt") for pid in pids]
    procs = [spy(pid, out, seconds) for pid, out in zip(pids, outputs, strict=True)]
    thread = threading.Thread(target=load)
    thread.start()
    for p in procs:
        p.wait(timeout=seconds + 60)
    thread.join()
    lines = []
    for out in outputs:
        path = Path(out)
        if path.exists():
            lines += path.read_text().splitlines()
            path.unlink()
    return lines


def _short(frame: str) -> str:
    m = re.match(r"(.+?) \((.*)\)$", frame)
    if not m:
        return frame
    func, path = m.groups()
    path = re.sub(r".*site-packages/", "", path)
    path = re.sub(r".*/lib/python3\.\d+/", "", path)
    path = re.sub(r"^/work/[^/]+/", "", path)
    return f"{func} ({path})"


def analyse(endpoint: str, lines: list[str], keep_raw: Path | None = None) -> Profile:
    stacks: list[tuple[list[str], int]] = []
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            frames = [_short(f) for f in stack.split(";")]
            stacks.append((frames, int(count)))
    if keep_raw:
        keep_raw.write_text("\n".join(lines))
    total = sum(c for _, c in stacks)
    idle_re = re.compile(IDLE)
    busy = [(s, c) for s, c in stacks if not any(idle_re.search(f) for f in s[-3:])]
    busy_total = sum(c for _, c in busy) or 1
    layers = [(name, re.compile(pattern)) for name, pattern in LAYERS]
    per_layer = Counter()
    for s, c in busy:
        for frame in reversed(s):
            layer = next((name for name, rx in layers if rx.search(frame)), None)
            if layer:
                per_layer[layer] += c
                break
        else:
            per_layer["other (Python stdlib, C extensions)"] += c
    leaf = Counter()
    project = Counter()
    for s, c in busy:
        leaf[s[-1]] += c
        for f in dict.fromkeys(s):
            if f.split("(")[-1].startswith(("user/", "post/", "social_media/")):
                project[f] += c
    return Profile(
        endpoint=endpoint,
        samples=total,
        busy_samples=busy_total,
        categories=[(k, v / busy_total) for k, v in per_layer.most_common()],
        top_self=[(k, v / busy_total) for k, v in leaf.most_common(15)],
        top_project=[(k, v / busy_total) for k, v in project.most_common(15)],
        raw_path=str(keep_raw) if keep_raw else "",
    )


# Where a Celery pool process spends a burst: waiting for work, Celery's own bookkeeping,
# or publishing (and within it, the database).
WORKER_PARTS = [
    (
        "opening database connections",
        r"\(psycopg2/__init__|get_new_connection|_configure_timezone|init_connection_state",
    ),
    ("publishing: PostgreSQL round trips", r"_execute \(django/db/backends/utils"),
    ("publishing: hashtag parsing and linking", r"_set_hashtags|parse_hashtags"),
    ("publishing: ORM (building, compiling, saving)", r"\(django/db/"),
    ("publishing: other", r"scheduled_post_publish"),
    ("sweep (beat task)", r"scheduled_posts_sweep"),
    ("Celery task bookkeeping (decode, ack, trace, signals)", r"\((celery|kombu|billiard)/"),
]


@dataclass
class WorkerProfile:
    samples: int
    idle_share: float
    parts: list[tuple[str, float]]  # share of busy samples
    raw_path: str


def analyse_worker(lines: list[str], keep_raw: Path) -> WorkerProfile:
    keep_raw.parent.mkdir(parents=True, exist_ok=True)
    keep_raw.write_text("\n".join(lines))
    stacks = []
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append(([_short(f) for f in stack.split(";")], int(count)))
    total = sum(c for _, c in stacks) or 1
    # A pool process waiting for its next task sits in billiard's pipe read or select.
    idle_rx = re.compile(r"(_recv|recv_bytes|_recv_bytes|poll|select|wait|read) \(")
    busy, idle = [], 0
    for s, c in stacks:
        working = any("trace_task" in f or "scheduled_post" in f for f in s)
        if not working and idle_rx.search(s[-1]):
            idle += c
        else:
            busy.append((s, c))
    busy_total = sum(c for _, c in busy) or 1
    parts = Counter()
    rxs = [(name, re.compile(p)) for name, p in WORKER_PARTS]
    for s, c in busy:
        joined = ";".join(s)
        name = next((n for n, rx in rxs if rx.search(s[-1]) or rx.search(joined)), None)
        # The innermost match wins for the database parts; fall back to the whole stack.
        for frame in reversed(s):
            hit = next((n for n, rx in rxs if rx.search(frame)), None)
            if hit:
                name = hit
                break
        parts[name or "other"] += c
    return WorkerProfile(
        samples=total,
        idle_share=idle / total,
        parts=[(k, v / busy_total) for k, v in parts.most_common()],
        raw_path=str(keep_raw),
    )

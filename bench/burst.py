"""Scheduled burst: 1,000 scheduled posts due in the same second, published by Celery.

What the product does end to end: each row is created through
`post.services.scheduling.scheduled_post_create` (which sends its ETA task to the broker on
commit), while two Celery worker processes and beat (whose sweep is the safety net) run on
Redis. Then we wait until every row has left `scheduled` (or a timeout) and count:
- published: rows in `published` with a post;
- exactly once: distinct burst texts that appear as exactly one post;
- lateness: post.created_at (the publication time) minus publish_at.
"""

import math
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.config import ROOT, VENV_BIN


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class BurstResult:
    scheduled: int
    published: int
    exactly_once: int
    duplicates: int
    missing: int
    p50_lateness_s: float
    p95_lateness_s: float
    max_lateness_s: float
    create_seconds: float
    drained_after_s: float
    workers: int
    held: dict
    profile: object = None
    cpu: dict | None = None

    @property
    def once_ratio(self) -> float:
        return self.exactly_once / self.scheduled if self.scheduled else 0.0


def _celery(args: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "social_media", *args],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in processes:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def _wait_for_workers(app, names: set[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        seen = {name for reply in replies for name in reply}
        if names <= seen:
            return
    raise RuntimeError(f"Celery workers did not answer: {names}")


def _cpu_seconds(workers: list[subprocess.Popen]) -> dict[str, float]:
    """User + system CPU seconds of each worker's main and pool processes."""
    from bench.load import children

    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for i, worker in enumerate(workers, 1):
        for role, pid in [("main", worker.pid)] + [("pool", p) for p in children(worker.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            out[f"w{i} {role}"] = (int(fields[11]) + int(fields[12])) / ticks
    return out


def _start_profiler(workers: list[subprocess.Popen]) -> list[tuple[subprocess.Popen, Path]]:
    """py-spy on the pool process of each worker (the one that runs the tasks)."""
    from bench import profile
    from bench.load import children

    if not profile.available():
        return []
    spies = []
    folder = Path(tempfile.mkdtemp(prefix="bench-burst-pyspy-"))
    for worker in workers:
        for pid in children(worker.pid):
            out = folder / f"{pid}.txt"
            spies.append((profile.spy(pid, out), out))
    return spies


def _stop_profiler(spies) -> list[str]:
    lines = []
    for spy, _ in spies:
        spy.send_signal(signal.SIGINT)
    for spy, out in spies:
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
        if out.exists():
            lines += out.read_text().splitlines()
    return lines


def run(
    env: dict,
    authors: list[int],
    count: int = 1000,
    timeout: float = 180,
    profile_to: Path | None = None,
) -> BurstResult:
    import redis
    from django.db import connection

    from post.models import ScheduledPost
    from post.services.scheduling import scheduled_post_cancel, scheduled_post_create
    from social_media.celery import app
    from user.models import User

    redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()  # the bench's own broker db
    logs = ROOT / "var" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    schedule = Path(tempfile.mkdtemp(prefix="bench-beat-")) / "celerybeat-schedule"
    hostname = f"bench{os.getpid()}"
    names = {f"w1@{hostname}", f"w2@{hostname}"}
    processes = [
        _celery(
            [
                "worker",
                "--concurrency=1",
                "--pool=prefork",
                f"-n{name}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
            logs / "celery-worker.log",
        )
        for name in sorted(names)
    ]
    processes.append(
        _celery(["beat", "-s", str(schedule), "--loglevel=WARNING"], env, logs / "celery-beat.log")
    )
    try:
        _wait_for_workers(app, names)
        users = list(User.objects.filter(pk__in=authors, is_active=True))
        run_id = f"{int(time.time())}"
        # Due at a whole second, far enough ahead for all rows to be written first: time a
        # few schedulings (far in the future, cancelled at once) to size the lead.
        probe_at = datetime.now(UTC) + timedelta(days=30)
        started = time.perf_counter()
        probes = [
            scheduled_post_create(author=users[i], text=f"probe {run_id} {i}", publish_at=probe_at)
            for i in range(min(20, len(users)))
        ]
        per_row = (time.perf_counter() - started) / len(probes)
        for probe in probes:
            scheduled_post_cancel(scheduled_post=probe)
        lead = max(40, math.ceil(per_row * count * 4) + 15)
        publish_at = datetime.fromtimestamp(math.ceil(time.time()) + lead, UTC)
        log(f"burst: {per_row * 1000:.1f} ms per scheduling; due in {lead} s")
        started = time.perf_counter()
        for i in range(count):
            scheduled_post_create(
                author=users[i % len(users)],
                text=f"burst {run_id} number {i:04d} #benchburst",
                publish_at=publish_at,
            )
        create_seconds = time.perf_counter() - started
        remaining = (publish_at - datetime.now(UTC)).total_seconds()
        log(f"burst: {count} scheduled in {create_seconds:.1f} s; due in {remaining:.1f} s")
        if remaining < 0:
            log("burst: WARNING rows were still being written when they came due")
        # Which worker holds the ETA tasks: a worker keeps every ETA task it received in
        # memory until it is due, so one fast consumer can end up with most of the burst.
        held, profile_result = {}, None
        if remaining > 2:
            time.sleep(1)
            scheduled = app.control.inspect(timeout=2.0).scheduled() or {}
            held = {name.split("@")[0]: len(tasks) for name, tasks in scheduled.items()}
        log(f"burst: ETA tasks held per worker before the due time: {held or 'n/a'}")
        spies = _start_profiler(processes[:2]) if profile_to else []
        cpu_before = _cpu_seconds(processes[:2])
        pending = ScheduledPost.objects.filter(
            text__startswith=f"burst {run_id} ", status=ScheduledPost.Status.SCHEDULED
        )
        deadline = publish_at + timedelta(seconds=timeout)
        drained_at = None
        while datetime.now(UTC) < deadline:
            time.sleep(0.5)
            if datetime.now(UTC) > publish_at and not pending.exists():
                drained_at = datetime.now(UTC)
                break
        # A few more seconds, in case a duplicate publication were still on its way.
        time.sleep(3)
        cpu_after = _cpu_seconds(processes[:2])
        cpu = {k: round(cpu_after.get(k, 0) - v, 2) for k, v in cpu_before.items()}
        log(f"burst: CPU seconds used while draining: {cpu}")
        profile_lines = _stop_profiler(spies)
        if profile_to and profile_lines:
            from bench import profile

            profile_result = profile.analyse_worker(profile_lines, profile_to)
        connection.close()
        result = BurstResult(
            **_outcome(run_id, count, publish_at),
            create_seconds=create_seconds,
            drained_after_s=(drained_at - publish_at).total_seconds()
            if drained_at
            else float("nan"),
            workers=2,
            held=held,
            profile=profile_result,
            cpu=cpu,
        )
        log(
            f"burst: published {result.published}/{count}, exactly once {result.exactly_once}, "
            f"duplicates {result.duplicates}, lateness p50 {result.p50_lateness_s:.2f} s p95 "
            f"{result.p95_lateness_s:.2f} s max {result.max_lateness_s:.2f} s"
        )
        return result
    finally:
        _stop(processes)


def _outcome(run_id: str, count: int, publish_at: datetime) -> dict:
    """What became of the burst's `count` rows: published, each text exactly once or more,
    missing, and the lateness of each text's first post (its `created_at` - `publish_at`)."""
    from post.models import Post, ScheduledPost

    rows = ScheduledPost.objects.filter(text__startswith=f"burst {run_id} ")
    posts = Post.objects.filter(text__startswith=f"burst {run_id} ").values_list(
        "text", "created_at"
    )
    per_text: dict[str, list[datetime]] = {}
    for text, created_at in posts:
        per_text.setdefault(text, []).append(created_at)
    lateness = sorted((min(v) - publish_at).total_seconds() for v in per_text.values())

    def pct(q):
        if not lateness:
            return float("nan")
        return lateness[min(len(lateness) - 1, math.ceil(q * len(lateness)) - 1)]

    return {
        "scheduled": count,
        "published": rows.filter(status=ScheduledPost.Status.PUBLISHED, post__isnull=False).count(),
        "exactly_once": sum(1 for v in per_text.values() if len(v) == 1),
        "duplicates": sum(len(v) - 1 for v in per_text.values() if len(v) > 1),
        "missing": count - len(per_text),
        "p50_lateness_s": pct(0.5),
        "p95_lateness_s": pct(0.95),
        "max_lateness_s": lateness[-1] if lateness else float("nan"),
    }

"""docs/performance.md and the growth chart, from one run's results."""

import math
import os
import platform
import subprocess
from pathlib import Path

from bench.config import ROOT


def sh(command: str) -> str:
    try:
        return subprocess.run(
            ["/bin/sh", "-c", command], capture_output=True, text=True, timeout=20, check=False
        ).stdout.strip()
    except subprocess.TimeoutExpired:
        return ""


def machine_info() -> dict[str, str]:
    return {
        "nproc": sh("nproc"),
        "free -h": sh("free -h"),
        "lscpu | head": sh("lscpu | head"),
        "PostgreSQL": sh("psql --version"),
        "Python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": (sh("wrk --version 2>&1 | head -1").split(" Copyright")[0] or "wrk missing")
        if os.environ.get("BENCH_GENERATOR", "wrk") != "httpx"
        else "httpx (asyncio), forced by BENCH_GENERATOR",
        "git": os.environ.get("BENCH_COMMIT")
        or sh(f"git -C {ROOT} describe --always --dirty --abbrev=7")
        or "unknown",
    }


def chart(growth: dict, path: Path) -> None:
    """Feed p50 against accounts followed, one line per growth set (network size)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    for data in sorted(growth.values(), key=lambda g: g.accounts):
        xs = sorted(data.feed_ms)
        ys = [data.feed_ms[x] for x in xs]
        ax.plot(xs, ys, marker="o", label=data.label)
        for x, y in zip(xs, ys, strict=True):
            ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("accounts followed")
    ax.set_ylabel("GET /feed/ p50 (ms), one request at a time")
    ax.set_title("Home feed latency against follows and network size")
    ax.grid(True, which="both", alpha=0.3)
    ax.set_ylim(bottom=0)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _fmt(x, digits=1):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{digits}f}"


def table(headers: list[str], rows: list[list], right: int = 1) -> str:
    """A Markdown table; columns from index `right` on are right-aligned."""
    align = ["---" if i < right else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(r: dict) -> str:
    out: list[str] = []
    w = out.append
    cfg = r["config"]
    m = r["machine"]
    _head(w, r, cfg)
    _machine(w, m, cfg)
    _data(w, r, cfg)
    _load(w, r, cfg)
    _deep_and_budget(w, r)
    _uploads(w, r)
    _burst_memory_growth(w, r)
    _profile(w, r)
    w("## Query plans\n")
    w(
        "`EXPLAIN (ANALYZE, BUFFERS)` of the page query each endpoint sends (captured in the "
        "query-budget phase, at the default page size of 20), on the bench database.\n"
    )
    for name, (sql, plan) in (r.get("plans") or {}).items():
        w(f"### {name}\n")
        w(f"<details><summary>SQL</summary>\n\n```sql\n{sql}\n```\n</details>\n")
        w(f"```\n{plan}\n```\n")
    analysis = ROOT / "bench" / "analysis.md"
    if analysis.exists():
        w(analysis.read_text())
    return "\n".join(out) + "\n"


def _head(w, r, cfg):
    w("# Performance\n")
    w(
        "Written by `make bench` (bench/run.py) from one run; every number below comes from "
        "that run on the machine described under *Machine*. `BENCH_SCALE=tiny make bench` is "
        "a smoke run of a few minutes that writes to `var/bench/` instead of this file "
        "(bench/README.md lists the knobs).\n"
    )
    w(
        f"Run: {r['started']} → {r['finished']} UTC ({r['elapsed_min']:.1f} min), "
        f"commit `{r['machine']['git']}`, scale `{cfg.scale}`.\n"
    )
    if r.get("note"):
        w(f"> {r['note']}\n")
    w("## Summary\n")
    w("```\n" + "\n".join(r["final_lines"]) + "\n```\n")
    w(
        table(
            ["target", "wanted", "measured", ""],
            [[n, want, got, "✅" if ok else "❌"] for n, want, got, ok in r["targets"]],
        )
    )


def _machine(w, m, cfg):
    w("## Machine\n")
    w(
        f"Load generator: {m['wrk']}, one thread, {cfg.connections} connections, on the same "
        f"2 cores as the server. Server: gunicorn with `gunicorn.conf.py`, {cfg.workers} sync "
        "workers, `DEBUG=0`, `bench.settings` (the production settings plus the baseline "
        "route), throttle rates raised so that the load is not throttled (the throttles still "
        "run, with their Redis round trips). PostgreSQL and Redis on loopback. "
        f"{m['PostgreSQL']}; Python {m['Python']}; kernel {m['kernel']}.\n"
    )
    w(
        "Other sessions share this machine, so the 1-minute load average is recorded after "
        "each endpoint's load.\n"
    )
    for key in ("nproc", "free -h", "lscpu | head"):
        w(f"`{key}`:\n```\n{m[key]}\n```")
    w("")


def _data(w, r, cfg):
    w("## Data set\n")
    p = cfg.seed_params
    w(
        f"{p.users:,} users, {p.posts:,} posts, {p.likes:,} likes, {p.comments:,} comments, "
        f"{p.hashtags:,} hashtags used with a Zipf-like distribution (0-3 per post), random "
        f"seed {p.seed}. Follows have a heavy tail: most users follow 20-100 accounts, 2.5% "
        "fewer, 0.5% 1,000-3,000, and followees are picked by a Zipf-like popularity. 5% of "
        "posts carry one or two media rows. Every like, comment and follow notified the one it "
        f"concerns; one account has {p.heavy_notifications:,} more notifications (all read but "
        "the newest five). Loaded with COPY into tables whose secondary "
        "indexes and constraints are dropped first and rebuilt after, then `VACUUM ANALYZE`.\n"
    )
    seed = r["seed"]
    if seed.get("rows"):
        rows = [[t, f"{n:,}", f"{s:.1f}", f"{n / s if s else 0:,.0f}"] for t, n, s in seed["rows"]]
        w(table(["table", "rows", "seconds", "rows/s"], rows))
    w(f"{seed['summary']}\n")


def _load(w, r, cfg):
    w("## Endpoints under load\n")
    w(
        f"Each endpoint for {cfg.duration:g} s, one after the other, with knox tokens of "
        "several users (8 typical users following 40-80 accounts; 4 heavy-follow users "
        "following 1,200-2,500), default page size 20. `POST /posts/` writes a post with two "
        "hashtags; `POST /posts/{id}/like/` likes one of 400 posts (201, or 200 when already "
        "liked).\n\n"
        "The first page of `/feed/` is cached per user for `FEED_CACHE_SECONDS` (5 s, the "
        "default; post/feed_cache.py), so the two `feed (… user)` rows are mostly cache hits: "
        "each user's page is rebuilt once every 5 s, or after that user's own write. "
        "`feed, uncached` asks for the same newest-first page through a cursor positioned at "
        "the present, which the cache never answers: that row is the cost of the page query "
        "itself.\n"
    )
    rows = [
        [
            res.name,
            f"{res.rps:,.1f}",
            f"{res.p50_ms:.1f}",
            f"{res.p90_ms:.1f}",
            f"{res.p99_ms:.1f}",
            res.errors,
            f"{res.extra.get('bytes', 0):,}",
            res.extra.get("loadavg", ""),
        ]
        for res in r["load"]
    ]
    headers = ["endpoint", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "bytes", "load"]
    w(table(headers, rows))
    _pairs(w, r)


def _pairs(w, r):
    from bench.phases import PAIRED

    rounds = r["pairs"]
    if not rounds:
        return
    w(
        "## Throughput against the baseline\n\n"
        "The ratios of the summary come from these rounds, not from the table above: each "
        "round loads the baseline, then the typical users' feed (cached: the first page as "
        "they ask for it), the same page uncached (through a cursor at the present), "
        "`/posts/` and `POST /posts/`, one after the other, "
        f"{r['config'].duration:g} s each with the same connections; a ratio is the "
        "endpoint's requests per second summed over the rounds divided by the baseline's, so "
        "every endpoint is set against baselines measured minutes around it (on a shared "
        "machine the load average moves between the table above and these rounds).\n"
    )
    names = list(PAIRED.values())
    rows = [
        [i, f"{one['baseline'].rps:,.1f}"]
        + [f"{one[n].rps:,.1f} ({one[n].rps / one['baseline'].rps:.3f})" for n in names]
        for i, one in enumerate(rounds, 1)
    ]
    w(table(["round", "baseline req/s"] + [f"{n} req/s (ratio)" for n in names], rows))


def _deep_and_budget(w, r):
    w("## Deep pages\n")
    w("One client follows `next` from page 1 (20 rows a page), timing every request.\n")
    rows = [
        [d.name, d.pages, f"{d.first_ms:.1f}", f"{d.last_ms:.1f}", f"{d.ratio:.2f}"]
        for d in r["deep"]
    ]
    w(table(["timeline", "pages", "first 20 mean ms", "last 20 mean ms", "ratio"], rows))
    w("## Query budget\n")
    w(
        "SQL statements per request, authentication included, in-process (Django test "
        "client and `CaptureQueriesContext`) against the bench database; `rows` is how many "
        "results the 100-row page returned.\n"
    )
    rows = [
        [
            f"`{b.path}` ({b.name})",
            b.queries_1,
            b.queries_100,
            b.rows_100,
            f"{b.ms_100:.0f}",
            "yes" if b.stable else "**no**",
        ]
        for b in r["budget"]
    ]
    w(table(["endpoint", "page_size=1", "page_size=100", "rows", "ms at 100", "stable"], rows))


def _uploads(w, r):
    w("## Reads during large uploads\n")
    up = r.get("uploads")
    if not up:
        w("Not run.\n")
        return
    w(
        f"`GET /posts/` alone, then while 4 clients each upload, one after the other, an "
        f"all-zero RGBA PNG avatar of {up.side}x{up.side} (just under `AVATAR_MAX_PIXELS`; a "
        f"few KB sent, {up.side * up.side * 4 / 2**20:.0f} MB decoded) to `PATCH /users/me/` "
        f"({up.uploads} uploads, p50 {up.upload_p50_ms:.0f} ms; statuses "
        f"{dict(sorted(up.upload_statuses.items()))}).\n"
    )
    rows = [
        [res.name, f"{res.rps:,.1f}", f"{res.p50_ms:.1f}", f"{res.p90_ms:.1f}", res.errors]
        for res in (up.alone, up.during)
    ]
    w(table(["endpoint", "req/s", "p50 ms", "p90 ms", "errors"], rows))


def _burst_memory_growth(w, r):
    w("## Scheduled burst\n")
    burst = r.get("burst")
    if burst:
        w(
            f"{burst.scheduled:,} scheduled posts due in the same second, created through "
            "`scheduled_post_create` (which sends each ETA task on commit) by "
            f"{r.get('burst_authors', '?')} authors in {burst.create_seconds:.1f} s, with "
            f"{burst.workers} Celery worker processes (`--concurrency=1` each) and beat on "
            "Redis. Lateness is the post's `created_at` (its publication time) minus "
            "`publish_at`.\n"
        )
        headers = ["scheduled", "published", "exactly once", "duplicates", "missing"]
        headers += ["lateness p50", "p95", "max", "none pending after"]
        row = [burst.scheduled, burst.published, burst.exactly_once, burst.duplicates]
        row += [burst.missing, f"{burst.p50_lateness_s:.2f} s", f"{burst.p95_lateness_s:.2f} s"]
        row += [f"{burst.max_lateness_s:.2f} s", f"{_fmt(burst.drained_after_s, 2)} s"]
        w(table(headers, [row], right=0))
        if burst.held:
            held = ", ".join(f"{k}: {v}" for k, v in sorted(burst.held.items()))
            w(f"ETA tasks held by each worker shortly before the due second: {held}.\n")
        if burst.cpu:
            cpu = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(burst.cpu.items()))
            w(
                "CPU time the worker processes used from the due second until nothing was "
                f"pending (+3 s): {cpu}. Much less than the wall time means the workers were "
                "waiting (on PostgreSQL, Redis, or each other), not computing.\n"
            )
        prof = burst.profile
        if prof:
            w(
                f"py-spy on the pool processes during the drain ({prof.samples:,} samples, "
                f"{prof.idle_share:.0%} of them waiting for the next task); where the busy "
                "samples went:\n"
            )
            parts = [[n, f"{v:.0%}"] for n, v in prof.parts if v >= 0.005]
            w(table(["part", "share of busy"], parts))
    else:
        w("Not run.\n")

    w("## Memory\n")
    w(
        "Resident set size (`VmRSS` in `/proc/<pid>/status`) of each gunicorn worker right "
        "after the endpoint load. Workers are recycled after `max_requests` (5,000 ± 500, "
        "`gunicorn.conf.py`).\n"
    )
    w(table(["worker", "RSS MB"], [[i, f"{mb:.1f}"] for i, mb in enumerate(r["rss"], 1)]))

    _growth(w, r)


def _growth(w, r):
    from bench.growth import MIN_SAMPLES, network_ratio

    w("## The feed as the network grows\n")
    growth = r.get("growth") or {}
    if not growth:
        w("Not run.\n")
        return
    sets = [growth[name] for name in r["growth_sets"] if name in growth]
    follows = sorted({f for g in sets for f in g.feed_ms})
    w(
        "Two data sets drawn by the same generator (`bench/growth_1m.py`: follows long-tailed "
        "around 20 per account, Zipf-like popularity, posts over a year, 5% private accounts, "
        "blocks and mutes), of which only the size differs, each in a database of its own "
        "(`social_bench_<name>`) and served by a gunicorn server of its own with the same "
        "settings as the load's, both running at once. `GET /feed/` p50 in ms through a "
        "cursor positioned at the present (the page query, never the first-page cache) for "
        "the accounts that follow exactly 10, 100, 1,000 and 5,000 others, one request at a "
        "time (service time, no queueing): for each number followed the two sets' requests "
        "take turns (the order reversed every pass, after two passes of warm-up, at least "
        f"{MIN_SAMPLES} each), so that the machine's load falls on both alike; latency as "
        "the client (httpx) measures it. `feed_network_growth_ratio` is the worst column of "
        "the larger network over the smaller; `feed_5000_vs_100_ratio` the worse set's 5,000 "
        "column over its 100 column.\n"
    )
    rows = [
        [f"`{g.name}`: {g.label}"]
        + [_fmt(g.feed_ms.get(f), 2) for f in follows]
        + [_fmt(g.spread, 2), ", ".join(str(g.samples[f]) for f in follows if f in g.samples)]
        for g in sets
    ]
    if len(sets) == 2:
        small, large = sets
        rows.append(
            [f"ratio `{large.name}` / `{small.name}`"]
            + [
                _fmt(large.feed_ms[f] / small.feed_ms[f], 2)
                if f in large.feed_ms and f in small.feed_ms
                else "n/a"
                for f in follows
            ]
            + [f"worst {network_ratio(small, large):.2f}", ""]
        )
    headers = ["data set"] + [f"{f:,} followed" for f in follows] + ["5,000 / 100", "requests"]
    w(table(headers, rows))
    w(f"![feed p50 against follows and network size]({r['chart_name']})\n")

    w("### A viral post\n")
    w(
        "`GET /posts/{id}/` p50 in ms for a post liked by min(100,000, accounts - 1) accounts "
        "and for a post of the same author with the same text and hashtags, no media, and no "
        "likes, comments or reposts (`GrowthSeeder.draw_viral`), read by a typical account "
        "(in no block and no mute; `Roles.typical[1]`), the two in turns as above. "
        "`viral_post_ratio` is the larger network's viral p50 over its quiet p50.\n"
    )
    rows = [
        [
            f"`{g.name}`",
            f"{g.viral.likes:,} ({g.viral.like_count:,})",
            f"{g.viral.viral_ms:.2f}",
            f"{g.viral.quiet_ms:.2f}",
            f"{g.viral.ratio:.3f}",
            g.viral.samples,
            f"{g.viral.sizes[0]:,} / {g.viral.sizes[1]:,}",
        ]
        for g in sets
        if g.viral
    ]
    headers = ["data set", "likes (like_count)", "viral p50", "quiet p50", "ratio", "requests"]
    w(table([*headers, "bytes"], rows))


def _profile(w, r):
    prof = r.get("profile")
    w("## Where the time goes\n")
    if not prof:
        w("No profile in this run (py-spy not installed, or `BENCH_PROFILE=0`).\n")
        return
    w(
        f"py-spy sampled both workers ({prof.busy_samples:,} busy samples at 200 Hz, with "
        "`--idle` so that waiting on PostgreSQL and Redis counts) while wrk loaded "
        f"**{prof.endpoint}**. Each busy sample is charged to one layer, the innermost "
        "recognised frame on its stack (a database round trip made from a serializer counts "
        "as the round trip); time spent waiting for the next connection is left out.\n"
    )
    rows = [[name, f"{share:.0%}"] for name, share in prof.categories]
    w(table(["layer", "share of busy time"], rows))
    w("Heaviest project functions (inclusive):\n")
    w(table(["function", "share"], [[f"`{n}`", f"{v:.0%}"] for n, v in prof.top_project]))
    w("Heaviest leaf functions (self time):\n")
    w(table(["function", "share"], [[f"`{n}`", f"{v:.0%}"] for n, v in prof.top_self]))

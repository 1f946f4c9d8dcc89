"""`make bench`: seed, load, measure, report. See bench/README.md for the knobs.

Phases (each can be skipped with BENCH_SKIP=name,name):
  seed     the bench database and the two growth sets (each reused when its parameters match)
  budget   SQL statements per request for every list endpoint at page_size 1 and 100
  explain  EXPLAIN (ANALYZE, BUFFERS) of the feed, search and hashtag page queries
  load     gunicorn + wrk, every endpoint for BENCH_DURATION seconds, then the baseline in
           alternating rounds with the feed (cached and not), /posts/ and POST /posts/
  uploads  /posts/ while large avatars are uploaded
  deep     follow `next` to page BENCH_DEEP_PAGES of /posts/ and /feed/
  profile  py-spy on the workers while the typical feed is loaded
  growth   on each growth set: feed p50 for 10/100/1,000/5,000 followed accounts, and a
           viral post's page against a quiet one's
  burst    1,000 scheduled posts due in the same second, 2 Celery workers + beat
The run ends with the summary lines the issues name and writes the report.
"""

import os
import pickle
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import config as bench_config  # noqa: E402


def log(message: str) -> None:
    print(message, flush=True)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def results_path(cfg) -> Path:
    return ROOT / "var" / "bench" / f"results-{cfg.scale}.pickle"


def write_report(cfg, results: dict) -> None:
    from bench import report

    chart_path = cfg.report_path.parent / (
        "performance-growth.png" if cfg.scale == "full" else f"performance-growth-{cfg.scale}.png"
    )
    results["chart_name"] = chart_path.name
    if results["growth"]:
        report.chart(results["growth"], chart_path)
    cfg.report_path.parent.mkdir(parents=True, exist_ok=True)
    cfg.report_path.write_text(report.render(results))


def report_only() -> int:
    """`bench/run.py --report-only`: render the report again from the last run's results
    (after editing bench/analysis.md, say), without measuring anything."""
    cfg = bench_config.load()
    os.environ.update(bench_config.server_env(cfg))
    import django

    django.setup()  # the pickled results refer to classes of modules that import Django
    with results_path(cfg).open("rb") as f:
        results = pickle.load(f)  # noqa: S301 - our own file, written by the run above
    results["config"] = cfg
    write_report(cfg, results)
    log(f"bench: report written to {cfg.report_path}")
    print("\n".join(results["final_lines"]))
    return 0


def main() -> int:
    if "--report-only" in sys.argv:
        return report_only()
    started_at = datetime.now(UTC)
    t0 = time.perf_counter()
    cfg = bench_config.load()
    env = bench_config.server_env(cfg)
    os.environ.update(env)
    if "growth" not in cfg.skip:
        os.environ["BENCH_GROWTH_ALIASES"] = ",".join(cfg.growth_sets)
    log(f"bench: scale {cfg.scale}, database {cfg.database_name}, {cfg.seed_params.key()}")

    import django

    django.setup()

    from bench import burst as burst_phase
    from bench import explain as explain_phase
    from bench import (
        growth,
        growth_1m,
        notifications,
        phases,
        profile,
        queries,
        report,
        scenario,
        seed,
        uploads,
    )
    from bench.load import Server, wrk_available

    if not wrk_available():
        log("bench: wrk not found (apt-get install wrk); using the slower httpx client")
    skip = cfg.skip
    results: dict = {"config": cfg, "machine": report.machine_info(), "started": started_at}

    # --- seed ---------------------------------------------------------------------------
    meta = seed.ensure_seeded(cfg, cfg.seed_params, cfg.database_url)
    rows = []
    for part in meta.get("seed_rows_per_s", "").split(";"):
        if part:
            table, rest = part.split("=")
            n, secs = rest.split(":")
            rows.append((table, int(n), float(secs)))
    total_rows = sum(n for _, n, _ in rows)
    total_secs = sum(s for _, _, s in rows)
    results["seed"] = {
        "rows": rows,
        "summary": (
            f"COPY: {total_rows:,} rows in {total_secs:.1f} s ({total_rows / total_secs:,.0f} "
            f"rows/s including generating them in Python), seeded at {meta.get('seeded_at')}; "
            "index rebuild and VACUUM ANALYZE come on top (printed by the run that seeds)."
            if total_secs
            else "n/a"
        ),
    }
    growth_meta = {}
    if "growth" not in skip:
        growth_meta = {name: growth_1m.ensure_seeded(name) for name in cfg.growth_sets}

    s = scenario.build("default", meta)

    # --- query budget and plans ---------------------------------------------------------
    budgets = []
    if "budget" not in skip:
        budgets = queries.measure(s)
        for b in budgets:
            log(
                f"budget: {b.name:<24} {b.queries_1:>2} queries at page_size=1, "
                f"{b.queries_100:>2} at 100 ({b.rows_100} rows, {b.ms_100:.0f} ms)"
            )
    results["budget"] = budgets
    results["plans"] = explain_phase.explain(budgets) if budgets and "explain" not in skip else {}
    for name, (_, plan) in results["plans"].items():
        log(f"explain: {name:<24} indexes {', '.join(explain_phase.index_names(plan)) or '-'}")

    # --- the server under load ----------------------------------------------------------
    results.update(load=[], pairs=[], deep=[], rss=[], profile=None, growth={}, uploads=None)
    results["growth_sets"] = cfg.growth_sets
    with Server(env, cfg.port) as server:
        log(f"server: gunicorn on {server.base}, workers {server.workers()}")
        if "load" not in skip:
            for res in phases.run_endpoints(server.base, s, cfg.duration, cfg.connections):
                res.extra["loadavg"] = loadavg()
                results["load"].append(res)
            results["pairs"] = phases.run_pair(server.base, s, cfg.duration, cfg.connections)
            results["rss"] = server.worker_rss_mb()
            log(f"memory: worker RSS {', '.join(f'{x:.1f}' for x in results['rss'])} MB")
        if "uploads" not in skip:
            up = uploads.run(server.base, s, cfg.duration, cfg.connections)
            results["uploads"] = up
            log(
                f"uploads: /posts/ p50 {up.alone.p50_ms:.1f} ms alone, {up.during.p50_ms:.1f} ms "
                f"while {uploads.UPLOADERS} clients upload {up.side}x{up.side} avatars "
                f"({up.uploads} uploads, p50 {up.upload_p50_ms:.0f} ms, {up.upload_statuses})"
            )
        if "deep" not in skip:
            results["deep"] = [
                phases.deep_pages(
                    server.base, "/posts/", "/api/v1/posts/", s.token(s.typical[0]), cfg.deep_pages
                ),
                phases.deep_pages(
                    server.base, "/feed/", "/api/v1/feed/", s.token(s.heavy[0]), cfg.deep_pages
                ),
            ]
        if "profile" not in skip and cfg.profile and profile.available():
            plan = dict(phases.load_plan(s))
            seconds = max(3, cfg.duration)

            def feed_load():
                from bench.load import run_load

                run_load(
                    server.base, "feed", plan["feed (typical user)"], seconds + 1, cfg.connections
                )

            lines = profile.record(server.workers(), seconds, feed_load)
            raw = ROOT / "var" / "bench" / "profile-feed.txt"
            raw.parent.mkdir(parents=True, exist_ok=True)
            results["profile"] = profile.analyse("GET /feed/ (typical user)", lines, raw)
            for name, share in results["profile"].categories:
                log(f"profile: {name:<46} {share:5.0%}")
        if not results["rss"]:
            results["rss"] = server.worker_rss_mb()

    # --- the network grows: the growth sets, each with a server of its own -----------------
    if growth_meta:
        results["growth"] = growth.measure(cfg, growth_meta, max(2.0, cfg.duration / 2))

    # --- scheduled burst ----------------------------------------------------------------
    results["burst"] = None
    if "burst" not in skip:
        authors = list(range(100, 100 + min(200, cfg.seed_params.users - 100)))
        results["burst_authors"] = len(authors)
        try:
            results["burst"] = burst_phase.run(
                env,
                authors,
                profile_to=ROOT / "var" / "bench" / "profile-burst.txt"
                if cfg.profile and "profile" not in skip
                else None,
            )
        except Exception as exc:  # one phase failing must not lose the others' numbers
            log(f"burst: FAILED: {exc!r}")
            results["note"] = f"The scheduled-burst phase failed: {exc!r}"

    # --- summary ------------------------------------------------------------------------
    nan = float("nan")
    paired = phases.pair_ratios(results["pairs"]) if results["pairs"] else {}
    max_queries = max((b.queries_100 for b in budgets), default=0)
    stable = all(b.stable for b in budgets) if budgets else False
    deep = max((d.ratio for d in results["deep"]), default=nan)
    burst = results["burst"]
    once = burst.once_ratio if burst else nan
    late = burst.p95_lateness_s if burst else nan
    rss = max(results["rss"], default=nan)
    notified = notifications.heavy_vs_typical(results["load"])
    small, large = (results["growth"].get(name) for name in cfg.growth_sets)

    def ratio(line, wanted, ok):
        value = paired.get(line, nan)
        return (line, wanted, f"{value:.2f}", ok(value))

    # (summary line, target, measured, met); the summary prints the first and third.
    results["targets"] = [
        ratio("feed_vs_baseline_throughput", "≥ 0.25", lambda x: x >= 0.25),
        ratio("feed_cached_vs_baseline_throughput", "≥ 0.5", lambda x: x >= 0.5),
        ratio("posts_vs_baseline_throughput", "≥ 0.25", lambda x: x >= 0.25),
        ratio("post_create_vs_baseline_throughput", "≥ 0.1", lambda x: x >= 0.1),
        ("max_list_queries", "≤ 6", str(max_queries), max_queries <= 6),
        ("query_count_stable", "yes", "yes" if stable else "no", stable),
        ("deep_page_ratio", "≤ 1.5", f"{deep:.2f}", deep <= 1.5),
        ("scheduled_burst_published_once_ratio", "1.0", f"{once:.3f}", once == 1.0),
        ("scheduled_burst_p95_lateness_s", "≤ 5", f"{late:.2f}", late <= 5),
        ("worker_rss_mb", "≤ 150", f"{rss:.1f}", rss <= 150),
        ("notifications_heavy_vs_typical_ratio", "≤ 1.5", f"{notified:.2f}", notified <= 1.5),
        *growth.targets(small, large),
    ]
    final_lines = [f"{line}: {measured}" for line, _, measured, _ in results["targets"]]
    results["final_lines"] = final_lines
    finished = datetime.now(UTC)
    results["finished"] = finished.strftime("%Y-%m-%d %H:%M")
    results["started"] = started_at.strftime("%Y-%m-%d %H:%M")
    results["elapsed_min"] = (time.perf_counter() - t0) / 60
    results["note"] = " ".join(
        n for n in (os.environ.get("BENCH_NOTE", ""), results.get("note", "")) if n
    )
    path = results_path(cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(results, f)
    write_report(cfg, results)
    log(f"bench: report written to {cfg.report_path} ({results['elapsed_min']:.1f} min)")
    print()
    print("\n".join(final_lines), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

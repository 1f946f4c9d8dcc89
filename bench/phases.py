"""The measuring phases that talk to a running server: load, the baseline pairs, deep pages."""

import base64
import json
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from bench import notifications
from bench.load import Request, Result, run_load
from bench.scenario import Scenario


def log(message: str) -> None:
    print(message, flush=True)


def load_plan(s: Scenario) -> list[tuple[str, list[Request]]]:
    """Every endpoint the issue names, each as the requests its load cycles through."""
    typical = [s.token(u) for u in s.typical]
    heavy = [s.token(u) for u in s.heavy]
    writers = typical

    def spread(paths, tokens, method="GET", body=None):
        return [
            Request(method, p, tokens[i % len(tokens)], body)
            for i, p in enumerate(paths * len(tokens))
        ]

    return [
        ("baseline", [Request("GET", "/bench/baseline/")]),
        ("feed (typical user)", spread(["/api/v1/feed/"], typical)),
        ("feed (heavy-follow user)", spread(["/api/v1/feed/"], heavy)),
        # The same newest-first page through a cursor positioned at the present: the first
        # page's cache (post/feed_cache.py) never answers a cursor, so this is the page query.
        (
            "feed, uncached (typical user)",
            spread([f"/api/v1/feed/?cursor={cursor_now()}"], typical),
        ),
        ("posts", spread(["/api/v1/posts/"], typical)),
        ("posts ?hashtag=", spread([f"/api/v1/posts/?hashtag={s.hashtag}"], typical)),
        ("posts ?search=", spread([f"/api/v1/posts/?search={s.search_word}"], typical)),
        ("users ?search=", spread([f"/api/v1/users/?search={s.user_search}"], typical)),
        (
            "posts/{id}/comments",
            spread([f"/api/v1/posts/{p}/comments/" for p in s.comment_posts], typical[:1]),
        ),
        (
            "POST posts",
            spread(
                ["/api/v1/posts/"],
                writers,
                "POST",
                '{"text": "bench load post {n} with a #benchload tag and #python"}',
            ),
        ),
        (
            "POST posts/{id}/like",
            [
                Request("POST", f"/api/v1/posts/{pid}/like/", writers[i % len(writers)])
                for i, pid in enumerate(s.like_posts)
            ],
        ),
        # One user each: the heavy one's 100,000 rows against a typical one's few hundred.
        *(
            (name, [Request("GET", path, s.token(user))])
            for name, path, user in notifications.load_plan(s)
        ),
    ]


def cursor_now() -> str:
    """A cursor before every post: (now, the largest id), as the pagination encodes one."""
    position = {"v": [datetime.now(UTC).isoformat(), 2**63 - 1]}
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def preflight(base: str, name: str, requests: list[Request]) -> tuple[int, int]:
    """One request of the kind, to check the status and record the body size."""
    r = requests[0]
    headers = {"Authorization": f"Token {r.token}"} if r.token else {}
    body = r.body.replace("{n}", "preflight") if r.body else None
    if body:
        headers["Content-Type"] = "application/json"
    response = httpx.request(r.method, base + r.path, headers=headers, content=body, timeout=30)
    if response.status_code >= 400:
        raise RuntimeError(
            f"{name}: {r.method} {r.path} -> {response.status_code} {response.text[:300]}"
        )
    return response.status_code, len(response.content)


def run_endpoints(base: str, s: Scenario, duration: float, connections: int) -> list[Result]:
    results = []
    plan = load_plan(s)
    wanted = [w.strip() for w in os.environ.get("BENCH_ENDPOINTS", "").split(",") if w.strip()]
    if wanted:
        plan = [(name, reqs) for name, reqs in plan if any(w in name for w in wanted)]
    for name, requests in plan:
        status, size = preflight(base, name, requests)
        result = run_load(base, name, requests, duration, connections)
        result.extra.update(status=status, bytes=size)
        results.append(result)
        log(
            f"load: {name:<26} {result.rps:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
            f"p99 {result.p99_ms:7.1f} ms  errors {result.errors}  ({size:,} B)"
        )
    return results


# The endpoints measured in alternating rounds with the baseline, for the throughput ratios:
# summary line -> load_plan name.
PAIRED = {
    "feed_cached_vs_baseline_throughput": "feed (typical user)",
    "feed_vs_baseline_throughput": "feed, uncached (typical user)",
    "posts_vs_baseline_throughput": "posts",
    "post_create_vs_baseline_throughput": "POST posts",
}


def run_pair(base: str, s: Scenario, duration: float, connections: int, rounds: int = 2):
    """Each round: the baseline, then the cached feed, the uncached feed, `/posts/` and
    `POST /posts/`, each for `duration`; the ratios (`pair_ratios`) compare sums over the
    rounds, so each endpoint is set against baselines measured minutes around it."""
    plan = dict(load_plan(s))
    out = []
    for _ in range(rounds):
        results = {"baseline": run_load(base, "baseline", plan["baseline"], duration, connections)}
        for name in PAIRED.values():
            results[name] = run_load(base, name, plan[name], duration, connections)
        out.append(results)
        log("pair: " + ", ".join(f"{name} {r.rps:.1f} req/s" for name, r in results.items()))
    return out


def pair_ratios(rounds: list[dict]) -> dict[str, float]:
    """Summary line -> the endpoint's req/s summed over the rounds / the baseline's."""
    baseline = sum(r["baseline"].rps for r in rounds)
    return {
        line: sum(r[name].rps for r in rounds) / baseline if rounds else float("nan")
        for line, name in PAIRED.items()
    }


@dataclass
class DeepPages:
    name: str
    pages: int
    first_ms: float
    last_ms: float
    latencies_ms: list[float]

    @property
    def ratio(self) -> float:
        return self.last_ms / self.first_ms if self.first_ms else 0.0


def deep_pages(base: str, name: str, path: str, token: str, pages: int) -> DeepPages:
    """Follow `next` from page 1 to `pages`, timing each request (one client, in sequence)."""
    latencies = []
    url = base + path
    headers = {"Authorization": f"Token {token}"}
    with httpx.Client(timeout=30, headers=headers) as client:
        client.get(url)  # warm-up
        while url and len(latencies) < pages:
            started = time.perf_counter()
            response = client.get(url)
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            url = response.json()["next"]
    window = min(20, len(latencies) // 2) or 1
    first = statistics.mean(latencies[:window])
    last = statistics.mean(latencies[-window:])
    log(
        f"deep: {name:<8} {len(latencies)} pages, first {window} mean {first:.1f} ms, "
        f"last {window} mean {last:.1f} ms, ratio {last / first:.2f}"
    )
    return DeepPages(name, len(latencies), first, last, latencies)

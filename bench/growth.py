"""The growth phase of `make bench`: the feed as the network grows, and a viral post's page.

Two growth data sets (bench/growth_1m.py; bench/config.py `GROWTH_PAIRS`: the 10,000- and
1,000,000-account sets at BENCH_SCALE=full), each served by a gunicorn server of its own on
its database (the bench's settings, as the load phase's server), both running at once. One
client, one request at a time (service time, no queueing), the requests compared taking
turns, one after the other, the order reversed every pass, so that a change in the shared
machine's load falls on both sides alike:

- feed: `GET /api/v1/feed/` through a cursor positioned at the present (the page query,
  never the first-page cache) for the probe following exactly 10 accounts on the smaller
  set and on the larger, in turns; then 100, 1,000 and 5,000;
- viral: on each set, `GET /api/v1/posts/{id}/` of the post liked by min(100,000, accounts -
  1) accounts and of one of the same author, text and shape liked by none
  (`GrowthSeeder.draw_viral`), in turns, read by an account that may read both.

Each side's p50 is the median of its requests' latencies, measured by the client (httpx,
which adds well under a millisecond to either side), after two passes of warm-up.
"""

import contextlib
import statistics
import time
from dataclasses import dataclass

import httpx
from django.db import connections

from bench import config as bench_config
from bench.config import ROOT
from bench.load import Server
from bench.phases import cursor_now, log
from bench.scenario import new_token

MIN_SAMPLES = 20  # requests per side at the least, however long they take


@dataclass
class Viral:
    post: int
    quiet: int
    likes: int  # like rows of the viral post
    like_count: int  # its counter column
    viral_ms: float  # p50
    quiet_ms: float
    samples: int  # requests per side
    sizes: tuple[int, int]  # response bytes

    @property
    def ratio(self) -> float:
        return self.viral_ms / self.quiet_ms


@dataclass
class GrowthSet:
    name: str
    accounts: int
    posts: int
    feed_ms: dict[int, float]  # accounts followed -> feed p50
    samples: dict[int, int]  # accounts followed -> requests
    viral: Viral | None = None

    @property
    def label(self) -> str:
        return f"{self.accounts:,} accounts, {self.posts:,} posts"

    @property
    def spread(self) -> float:
        """The 5,000 column over the 100 column."""
        if 5000 in self.feed_ms and 100 in self.feed_ms:
            return self.feed_ms[5000] / self.feed_ms[100]
        return float("nan")


def network_ratio(small: GrowthSet, large: GrowthSet) -> float:
    """The worst cell of p50(large) / p50(small) for the same number of accounts followed."""
    cells = [large.feed_ms[f] / small.feed_ms[f] for f in small.feed_ms if f in large.feed_ms]
    return max(cells, default=float("nan"))


def targets(small: GrowthSet | None, large: GrowthSet | None) -> list[tuple]:
    """The summary lines of the growth phase as (line, target, measured, met)."""
    nan = float("nan")
    viral = large.viral.ratio if large and large.viral else nan
    network = network_ratio(small, large) if small and large else nan
    spread = max((x.spread for x in (small, large) if x), default=nan)
    return [
        ("viral_post_ratio", "0.9 to 1.1", f"{viral:.2f}", 0.9 <= viral <= 1.1),
        ("feed_network_growth_ratio", "≤ 1.5", f"{network:.2f}", network <= 1.5),
        ("feed_5000_vs_100_ratio", "≤ 3", f"{spread:.2f}", spread <= 3),
    ]


def in_turns(requests: list[tuple[httpx.Client, str, str]], seconds: float) -> list[list[float]]:
    """Each (client, path, token) in turn, the order reversed every pass, for `seconds` and
    at least MIN_SAMPLES passes after two of warm-up; each one's latencies in ms."""
    times: list[list[float]] = [[] for _ in requests]
    deadline = None
    passes = 0
    while deadline is None or time.perf_counter() < deadline or passes < MIN_SAMPLES + 2:
        order = list(enumerate(requests))
        for i, (client, path, token) in order if passes % 2 else reversed(order):
            started = time.perf_counter()
            response = client.get(path, headers={"Authorization": f"Token {token}"})
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"growth: GET {path} -> {response.status_code}")
            if passes >= 2:
                times[i].append(elapsed)
        passes += 1
        if passes == 2:
            deadline = time.perf_counter() + seconds
    return times


def measure(cfg, metas: dict[str, dict], seconds: float) -> dict[str, GrowthSet]:
    """The growth phase on the sets `metas` names (their `bench_meta`), the smaller first."""
    names = list(metas)
    tokens = {}
    for name, meta in metas.items():
        alias = f"growth_{name}"
        with connections[alias].cursor() as cur:
            cur.execute("DELETE FROM knox_authtoken")  # the tokens of earlier runs
        probes = {int(c): int(u) for c, u in (p.split(":") for p in meta["probes"].split(","))}
        tokens[name] = {f: new_token(alias, uid) for f, uid in probes.items()}
        if "viral_post" in meta:
            tokens[name]["viral"] = new_token(alias, int(meta["viral_viewer"]))
    sets = {}
    for name in names:
        params = bench_config.growth_params(name)
        sets[name] = GrowthSet(name, params.users, params.posts, {}, {})
    with contextlib.ExitStack() as stack:
        clients = {}
        for name in names:
            env = bench_config.server_env(cfg, bench_config.growth_database_url(name))
            log_path = ROOT / "var" / "bench" / f"gunicorn-growth-{name}.log"
            server = stack.enter_context(Server(env, 0, log_path))
            clients[name] = stack.enter_context(httpx.Client(base_url=server.base, timeout=120))
        follows = sorted({f for t in tokens.values() for f in t if f != "viral"})
        for f in follows:
            where = [name for name in names if f in tokens[name]]
            path = f"/api/v1/feed/?cursor={cursor_now()}"
            runs = in_turns([(clients[n], path, tokens[n][f]) for n in where], seconds)
            for name, times in zip(where, runs, strict=True):
                sets[name].feed_ms[f] = statistics.median(times)
                sets[name].samples[f] = len(times)
            log(
                f"growth: feed p50, {f:,} followed: "
                + ", ".join(f"{n} {sets[n].feed_ms[f]:.2f} ms" for n in where)
                + f" ({len(runs[0])} requests each)"
            )
        for name in names:
            if "viral" in tokens[name]:
                sets[name].viral = viral_pages(
                    clients[name], name, metas[name], tokens[name]["viral"], seconds
                )
    return sets


def viral_pages(client: httpx.Client, name: str, meta: dict, token: str, seconds: float) -> Viral:
    viral, quiet = int(meta["viral_post"]), int(meta["quiet_post"])
    pages = [f"/api/v1/posts/{post}/" for post in (viral, quiet)]
    headers = {"Authorization": f"Token {token}"}
    sizes = tuple(len(client.get(page, headers=headers).content) for page in pages)
    viral_times, quiet_times = in_turns([(client, page, token) for page in pages], seconds)
    with connections[f"growth_{name}"].cursor() as cur:
        cur.execute(
            "SELECT like_count, (SELECT COUNT(*) FROM post_like WHERE post_id = p.id) "
            "FROM post_post p WHERE id = %s",
            [viral],
        )
        like_count, likes = cur.fetchone()
    result = Viral(
        viral,
        quiet,
        likes,
        like_count,
        statistics.median(viral_times),
        statistics.median(quiet_times),
        len(viral_times),
        sizes,
    )
    log(
        f"growth: {name}: post {viral} ({likes:,} likes) p50 {result.viral_ms:.2f} ms, post "
        f"{quiet} (none) {result.quiet_ms:.2f} ms, ratio {result.ratio:.3f} "
        f"({result.samples} requests each)"
    )
    return result

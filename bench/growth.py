"""The growth phase of `make bench`: the feed as the network grows, and a viral post's page.

On each of two growth data sets (bench/growth_1m.py; bench/config.py `GROWTH_PAIRS`: the
10,000- and 1,000,000-account sets at BENCH_SCALE=full), with a gunicorn server of its own
on that database (the bench's settings, as the load phase's server):

- feed: the p50 of `GET /api/v1/feed/` through a cursor positioned at the present (the page
  query, never the first-page cache) for the probes following exactly 10, 100, 1,000 and
  5,000 accounts, one connection (service time, no queueing);
- viral: the p50 of `GET /api/v1/posts/{id}/` for the post liked by min(100,000, accounts -
  1) accounts and for one of the same author, text and shape liked by none
  (`GrowthSeeder.draw_viral`), one connection, in alternating rounds, read by an account
  that may read both.
"""

import statistics
from dataclasses import dataclass

from django.db import connections

from bench import config as bench_config
from bench.load import Request, Server, run_load
from bench.phases import cursor_now, log, preflight
from bench.scenario import new_token


@dataclass
class Viral:
    post: int
    quiet: int
    likes: int  # like rows of the viral post
    like_count: int  # its counter column
    rounds: list[tuple[float, float]]  # (viral p50 ms, quiet p50 ms), one per round
    sizes: tuple[int, int]  # response bytes

    @property
    def viral_ms(self) -> float:
        return statistics.median(v for v, _ in self.rounds)

    @property
    def quiet_ms(self) -> float:
        return statistics.median(q for _, q in self.rounds)

    @property
    def ratio(self) -> float:
        return self.viral_ms / self.quiet_ms


@dataclass
class GrowthSet:
    name: str
    accounts: int
    posts: int
    feed_ms: dict[int, float]  # accounts followed -> feed p50
    viral: Viral | None

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


def measure(cfg, name: str, meta: dict, seconds: float) -> GrowthSet:
    alias = f"growth_{name}"
    with connections[alias].cursor() as cur:
        cur.execute("DELETE FROM knox_authtoken")  # the tokens of earlier runs
    params = bench_config.growth_params(name)
    url = bench_config.growth_database_url(name)
    probes = {int(c): int(u) for c, u in (p.split(":") for p in meta["probes"].split(","))}
    feed = {}
    with Server(bench_config.server_env(cfg, url), cfg.port) as server:
        for follows, uid in sorted(probes.items()):
            requests = [
                Request("GET", f"/api/v1/feed/?cursor={cursor_now()}", new_token(alias, uid))
            ]
            preflight(server.base, f"feed probe {follows}", requests)
            feed[follows] = run_load(server.base, "feed probe", requests, seconds, 1).p50_ms
        log(f"growth: {name}: feed p50 ms by accounts followed {feed}")
        viral = viral_pages(server.base, alias, meta, seconds) if "viral_post" in meta else None
    return GrowthSet(name, params.users, params.posts, feed, viral)


def viral_pages(base: str, alias: str, meta: dict, seconds: float, rounds: int = 3) -> Viral:
    token = new_token(alias, int(meta["viral_viewer"]))
    viral, quiet = int(meta["viral_post"]), int(meta["quiet_post"])
    pages = [[Request("GET", f"/api/v1/posts/{post}/", token)] for post in (viral, quiet)]
    sizes = tuple(preflight(base, f"post {r[0].path}", r)[1] for r in pages)
    each = max(1.0, round(seconds / 2))
    results = [
        tuple(run_load(base, "post page", requests, each, 1).p50_ms for requests in pages)
        for _ in range(rounds)
    ]
    with connections[alias].cursor() as cur:
        cur.execute(
            "SELECT like_count, (SELECT COUNT(*) FROM post_like WHERE post_id = p.id) "
            "FROM post_post p WHERE id = %s",
            [viral],
        )
        like_count, likes = cur.fetchone()
    result = Viral(viral, quiet, likes, like_count, results, sizes)
    log(
        f"growth: post {viral} ({likes:,} likes) p50 {result.viral_ms:.2f} ms, post {quiet} "
        f"(none) {result.quiet_ms:.2f} ms, ratio {result.ratio:.3f}"
    )
    return result

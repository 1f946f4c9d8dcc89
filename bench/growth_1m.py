"""The feed at scale (issue 18, target 3): a data set of 1,000,000 accounts and 5,000,000
posts, and the feed page's service time for accounts following 10, 100, 1,000 and 5,000
others on it and on one of the bench's size. Findings and numbers: docs/feed-at-scale.md.

    .venv/bin/python bench/growth_1m.py seed 10k        # social_bench_10k, about 1 minute
    .venv/bin/python bench/growth_1m.py seed 1m         # social_bench_1m, about 7 minutes
    .venv/bin/python bench/growth_1m.py measure 10k 1m --oltp          # about 5 minutes
    .venv/bin/python bench/growth_1m.py measure 10k 1m                 # the server's settings
    .venv/bin/python bench/growth_1m.py measure 10k 1m --oltp --cover  # with post_recent_cover
    .venv/bin/python bench/growth_1m.py fanout 1m --cap 128            # Redis, about 2 minutes
    .venv/bin/python bench/growth_1m.py report [--tag worktree-oltp]
    .venv/bin/python bench/growth_1m.py phase 10k 1m    # make bench's growth phase alone

`seed NAME` creates `social_bench_<NAME>` (bench/config.py `GROWTH_SETS`: 1m, 10k, 6k),
migrates it with the app's migrations (`manage.py migrate`), COPYs the data set into tables
whose secondary indexes and constraints are dropped first and rebuilt after, then `VACUUM
ANALYZE`. A database whose `bench_meta` says it holds the same parameters is kept (only
migrated); `--force` seeds again. It never writes the bench's own databases.

`measure NAME...` runs bench/feed_probe.py on each database: the feed page's SQL as the app
generates it and the prototypes of docs/feed-at-scale.md, for the probes (`Roles.probes`:
user ids 5-8 following exactly 10, 100, 1,000 and 5,000 accounts), one connection, a cursor
at the present. `--oltp` sets `jit=off, max_parallel_workers_per_gather=0` on that
connection; `--cover` adds the index `post_recent_cover` for the run and drops it after
(growth databases only); `--database URL` measures any database with the probes (the bench's
`social_bench` is only read); `--rev REV` generates the app's SQL from that commit (`git
archive` under var/bench/). Results: var/bench/feed-at-scale/<database>-<rev>[-oltp][-cover].json.

`fanout NAME` measures the Redis side of a fan-out design on a throwaway redis-server (see
`fanout`). `report` prints the tables of docs/feed-at-scale.md from the results. `phase
SMALL LARGE` runs the growth phase of `make bench` (bench/growth.py) on two growth sets and
prints its summary lines.
"""

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from bench import config as bench_config  # noqa: E402
from bench.seed import (  # noqa: E402
    CITIES,
    FIRST,
    LAST,
    SYLLABLES,
    TOPICS,
    Chunks,
    Seeder,
    connect,
    db_name,
    ensure_database,
    read_meta,
    zipf_weights,
)

OUT = ROOT / "var" / "bench" / "feed-at-scale"
TABLES = (
    "user_user",
    "user_follow",
    "user_block",
    "user_mute",
    "post_hashtag",
    "post_post",
    "post_posthashtag",
    "post_postmention",
    "post_media",
    "post_like",
    "post_comment",
)
PG_EPOCH_US = 946_684_800 * 1_000_000  # 2000-01-01 UTC, binary COPY's zero
CHUNK = 200_000
BINARY = {"i8": (">i8", 8), "i4": (">i4", 4), "i2": (">i2", 2), "ts": (">i8", 8)}
INTEGER_TYPES = ("bigint", "integer", "smallint")
# Likes of the one viral post (`GrowthSeeder.draw_viral`), as issue 18 names it.
VIRAL_LIKES = 100_000


def names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",")]


def log(message: str) -> None:
    print(message, flush=True)


def stamps(seconds: np.ndarray) -> list[str]:
    """Unix times as timestamptz literals (UTC), vectorised."""
    us = np.round(seconds * 1e6).astype(np.int64).astype("datetime64[us]")
    return [s + "+00" for s in np.datetime_as_string(us, unit="us").tolist()]


def unique_pairs(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (a, b) pairs, a != b, in the order of their first occurrence."""
    keep = a != b
    a, b = a[keep], b[keep]
    _, first = np.unique(a * (n + 1) + b, return_index=True)
    first.sort()
    return a[first], b[first]


class GrowthSeeder(Seeder):
    """The growth data set, drawn with numpy and COPYed (binary for the all-integer tables).

    - accounts: 0.5% inactive, 5% private (never a fixed account), profile text as bench/seed.py;
    - follows: lognormal per account around `follows_mean` (median about half of it, a long
      tail to thousands), followees by a Zipf-like popularity (exponent 0.8) over a random
      permutation; the fixed accounts of `Roles` follow exactly their number (the probes 10,
      100, 1,000, 5,000);
    - 1% of accounts block 5-50 others, 0.5% mute 1-10; each probe blocks 3 accounts it does
      not follow and mutes one it follows and 2 it does not (so the rule's id lists are not
      empty); no block involves a probe otherwise, and no follow is left across a block;
    - posts over a year, authors with lognormal activity (sigma 1.2), ids in time order; 10%
      reposts of an earlier original (one per account and original), 2% quotes; text from a
      pool of 50,000 texts drawn as bench/seed.py draws them (0-3 hashtags); 20% mention 1-2
      accounts; 5% carry 1-2 media rows;
    - likes (2 per post) and comments (0.3 per post, 30% replies) on lognormal post popularity;
    - the app's denormalised totals (post and comment columns, `user_userstats` rows, when
      its migrations have them) COPYed with their rows, equal to what `manage.py recount`
      computes; any other NOT NULL integer column without a default gets 0;
    - no notifications (the feed does not read them).
    """

    def __init__(self, params: bench_config.GrowthParams, database_url: str):
        super().__init__(params, database_url)  # rng, random, now, roles, stats
        self.fixed = {
            *self.roles.heavy,
            *self.roles.probes.values(),
            *self.roles.typical,
            self.roles.notified,
        }

    # --- plumbing -----------------------------------------------------------------------
    def table_columns(self, table: str) -> dict[str, tuple[str, bool]]:
        """column -> (data type, needs a value: NOT NULL without a default or identity)."""
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT column_name, data_type, is_nullable = 'NO' AND column_default IS NULL "
                "AND is_identity = 'NO' FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s",
                [table],
            )
            return {name: (kind, needed) for name, kind, needed in cur.fetchall()}

    def extras(self, table: str, columns: list[str], known: dict) -> dict[str, np.ndarray | int]:
        """Values of the columns the app's migrations added that `columns` does not name."""
        found = {}
        for name, (kind, needed) in self.table_columns(table).items():
            if name in columns:
                continue
            if name in known:
                found[name] = known[name]
            elif needed and kind in INTEGER_TYPES:
                found[name] = 0
            elif needed:
                raise SystemExit(f"growth seed: {table}.{name} ({kind}) needs a value")
        if found:
            log(f"seed: {table}: also {', '.join(found)}")
        return found

    def copy_text(self, table: str, columns: list[str], rows: int, lines, extra: dict) -> None:
        """COPY text rows; `lines(start, stop)` returns the rows' leading fields, one string
        per row without its newline; the `extra` columns are appended."""
        names = [*columns, *extra]

        def chunks():
            for start in range(0, rows, CHUNK):
                stop = min(rows, start + CHUNK)
                parts = [lines(start, stop)]
                for value in extra.values():
                    if isinstance(value, np.ndarray):
                        parts.append([str(v) for v in value[start:stop].tolist()])
                    else:
                        parts.append([str(value)] * (stop - start))
                yield (
                    "\n".join("\t".join(row) for row in zip(*parts, strict=True)) + "\n"
                ).encode()

        self.copy_from(table, ", ".join(names), Chunks(chunks()), rows)

    def copy_binary(self, table: str, columns: dict[str, tuple[str, object]], extra: dict):
        """COPY in binary format: `columns` maps a name to (kind, array or constant), kinds
        of `BINARY` (`ts`: Unix seconds as float); the `extra` columns are bigint-or-less
        integers, written with the type the table has."""
        types = self.table_columns(table)
        fields = dict(columns)
        for name, value in extra.items():
            kind = {"bigint": "i8", "integer": "i4", "smallint": "i2"}[types[name][0]]
            fields[name] = (kind, value)
        rows = next(len(v) for _, v in fields.values() if isinstance(v, np.ndarray))
        dtype = [("n", ">i2")]
        for i, (kind, _) in enumerate(fields.values()):
            dtype += [(f"l{i}", ">i4"), (f"v{i}", BINARY[kind][0])]

        def chunks():
            yield b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
            for start in range(0, rows, CHUNK * 5):
                stop = min(rows, start + CHUNK * 5)
                record = np.empty(stop - start, dtype=dtype)
                record["n"] = len(fields)
                for i, (kind, value) in enumerate(fields.values()):
                    record[f"l{i}"] = BINARY[kind][1]
                    part = value[start:stop] if isinstance(value, np.ndarray) else value
                    if kind == "ts":
                        part = np.round(np.asarray(part) * 1e6).astype(np.int64) - PG_EPOCH_US
                    record[f"v{i}"] = part
                yield record.tobytes()
            yield struct.pack(">h", -1)

        self.copy_from(table, ", ".join(fields), Chunks(chunks()), rows, " WITH (FORMAT binary)")

    def pick_users(self, size: int) -> np.ndarray:
        """`size` distinct accounts, none of them fixed."""
        picks = self.rng.choice(np.arange(1, self.p.users + 1), size=size, replace=False)
        return picks[~np.isin(picks, list(self.fixed))]

    # --- the draw -----------------------------------------------------------------------
    def draw_users(self) -> None:
        n, rng = self.p.users, self.rng
        self.user_joined = np.sort(self.now - rng.uniform(30, 3 * 365, n) * 86400)
        self.active = np.ones(n + 1, dtype=bool)
        self.active[self.pick_users(n // 200)] = False
        self.private = np.zeros(n + 1, dtype=bool)
        self.private[self.pick_users(n // 20)] = True
        self.first = rng.integers(0, len(FIRST), n + 1).tolist()
        self.last = rng.integers(0, len(LAST), n + 1).tolist()
        self.usernames = [
            f"{FIRST[f].lower()}_{LAST[la].lower()}_{uid}"
            for uid, (f, la) in enumerate(zip(self.first, self.last, strict=True))
        ]

    def followee_counts(self) -> np.ndarray:
        n, rng = self.p.users, self.rng
        sigma = 1.1
        mu = np.log(self.p.follows_mean) - sigma**2 / 2
        counts = np.clip(np.round(rng.lognormal(mu, sigma, n + 1)), 1, min(n - 1, 10_000))
        counts = counts.astype(np.int64)
        return self.with_fixed_counts(counts)

    def exact_followees(self, uid: int, k: int, cdf: np.ndarray, avoid: set) -> np.ndarray:
        """`k` distinct accounts by popularity, none in `avoid` nor `uid` itself."""
        n, rng = self.p.users, self.rng
        chosen: dict[int, None] = {}
        for _ in range(20):
            draw = np.searchsorted(cdf, rng.random(2 * (k - len(chosen)) + 20) * cdf[-1]) + 1
            for x in draw.tolist():
                if x != uid and x not in avoid and x <= n:
                    chosen[x] = None
            if len(chosen) >= k:
                return np.array(list(chosen)[:k], dtype=np.int64)
        rest = np.setdiff1d(np.arange(1, n + 1), [*chosen, *avoid, uid])
        more = rng.choice(rest, size=k - len(chosen), replace=False)
        return np.array([*chosen, *more.tolist()], dtype=np.int64)

    def draw_follows(self) -> None:
        n, rng = self.p.users, self.rng
        counts = self.followee_counts()
        popularity = zipf_weights(n, 0.8)[rng.permutation(n)]
        cdf = np.cumsum(popularity)
        fixed = np.array(sorted(self.fixed), dtype=np.int64)
        loose = counts.copy()
        loose[fixed] = 0
        followers = np.repeat(np.arange(n + 1, dtype=np.int64), loose)
        followees = np.searchsorted(cdf, rng.random(len(followers)) * cdf[-1]).astype(np.int64)
        followees = np.minimum(followees + 1, n)
        followers, followees = unique_pairs(followers, followees, n)
        parts_a, parts_b = [followers], [followees]
        self.probe_followees = {}
        for uid in fixed.tolist():
            chosen = self.exact_followees(uid, int(counts[uid]), cdf, set(fixed.tolist()))
            parts_a.append(np.full(len(chosen), uid, dtype=np.int64))
            parts_b.append(chosen)
            self.probe_followees[uid] = chosen
        self.follow_a = np.concatenate(parts_a)  # follower
        self.follow_b = np.concatenate(parts_b)  # followee
        start = np.maximum(self.user_joined[self.follow_a - 1], self.now - 700 * 86400)
        self.follow_at = rng.uniform(start, self.now - 3600)
        log(f"seed: {len(self.follow_a):,} follows drawn (mean {len(self.follow_a) / n:.1f})")

    def draw_blocks_and_mutes(self) -> None:
        n, rng = self.p.users, self.rng
        blockers = self.pick_users(n // 100)
        blockers = np.append(blockers, self.roles.typical[0])
        sizes = rng.integers(5, 51, len(blockers))
        a = np.repeat(blockers, sizes)
        b = rng.integers(1, n + 1, len(a))
        keep = ~np.isin(b, list(self.fixed))
        a, b = a[keep], b[keep]
        muters = self.pick_users(n // 200)
        sizes = rng.integers(1, 11, len(muters))
        ma = np.repeat(muters, sizes)
        mb = rng.integers(1, n + 1, len(ma))
        keep = ~np.isin(mb, list(self.fixed))
        ma, mb = ma[keep], mb[keep]
        extra_blocks, extra_mutes = [], []
        for uid in self.roles.probes.values():
            followed = set(self.probe_followees[uid].tolist())
            strangers = []
            while len(strangers) < 5:
                x = int(rng.integers(1, n + 1))
                if x not in followed and x not in self.fixed and x not in strangers:
                    strangers.append(x)
            extra_blocks += [(uid, x) for x in strangers[:3]]
            extra_mutes += [(uid, x) for x in strangers[3:]]
            extra_mutes.append((uid, int(rng.choice(self.probe_followees[uid]))))
        a = np.concatenate([a, [x for x, _ in extra_blocks]]).astype(np.int64)
        b = np.concatenate([b, [y for _, y in extra_blocks]]).astype(np.int64)
        self.block_a, self.block_b = unique_pairs(a, b, n)
        ma = np.concatenate([ma, [x for x, _ in extra_mutes]]).astype(np.int64)
        mb = np.concatenate([mb, [y for _, y in extra_mutes]]).astype(np.int64)
        self.mute_a, self.mute_b = unique_pairs(ma, mb, n)
        # No follow across a block, either way (as `block_create` leaves it).
        pairs = np.concatenate(
            [self.block_a * (n + 1) + self.block_b, self.block_b * (n + 1) + self.block_a]
        )
        keep = ~np.isin(self.follow_a * (n + 1) + self.follow_b, pairs)
        self.follow_a, self.follow_b = self.follow_a[keep], self.follow_b[keep]
        self.follow_at = self.follow_at[keep]
        log(
            f"seed: {len(self.block_a):,} blocks, {len(self.mute_a):,} mutes, "
            f"{(~keep).sum():,} follows removed across blocks"
        )

    def draw_text_pool(self, size: int = 50_000) -> None:
        rnd = self.random
        vocab = [
            "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(1, 3))) for _ in range(3000)
        ]
        vocab = list(dict.fromkeys(vocab))
        self.search_word = next(w for w in vocab[150:] if len(w) >= 5)
        word_cum = np.cumsum(zipf_weights(len(vocab), 1.0)).tolist()
        names = dict.fromkeys(TOPICS)
        while len(names) < 5000:
            names[
                "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))
                + rnd.choice(["", "", "life", "dev", str(rnd.randint(1, 99))])
            ] = None
        self.tags = list(names)[:5000]
        tag_cum = np.cumsum(zipf_weights(len(self.tags), 1.1)).tolist()
        texts, tag_lists = [], []
        for _ in range(size):
            words = rnd.choices(vocab, cum_weights=word_cum, k=rnd.randint(6, 29))
            k = rnd.choices(range(4), weights=[30, 35, 25, 10])[0]
            picked = list(
                dict.fromkeys(rnd.choices(range(len(self.tags)), cum_weights=tag_cum, k=k))
            )
            for t in picked:
                words.insert(rnd.randrange(len(words) + 1), "#" + self.tags[t])
            texts.append(" ".join(words))
            tag_lists.append(sorted(picked))
        self.pool_text = texts
        self.pool_tags = tag_lists

    def draw_posts(self) -> None:
        n_posts, n, rng = self.p.posts, self.p.users, self.rng
        activity = rng.lognormal(0, 1.2, n + 1)
        activity[0] = 0
        authors = rng.choice(n + 1, size=n_posts, p=activity / activity.sum())
        created = np.sort(rng.uniform(self.now - 365 * 86400, self.now - 60, n_posts))
        created = np.maximum(created, self.user_joined[authors - 1] + 60)
        order = np.argsort(created, kind="stable")
        authors, created = authors[order].astype(np.int64), created[order]
        kinds = rng.choice(3, size=n_posts, p=[0.88, 0.10, 0.02])
        kinds[0] = 0
        # An earlier post, never a repost (the app reposts the original): index < own.
        idx = np.flatnonzero(kinds > 0)
        original = np.floor(rng.random(len(idx)) * idx).astype(np.int64)
        for _ in range(5):
            again = kinds[original] == 1
            original[again] = np.floor(rng.random(again.sum()) * idx[again]).astype(np.int64)
        bad = kinds[original] == 1
        kinds[idx[bad]] = 0
        idx, original = idx[~bad], original[~bad]
        # One repost per account and original.
        reposts = kinds[idx] == 1
        key = authors[idx[reposts]] * (n_posts + 1) + original[reposts]
        _, first = np.unique(key, return_index=True)
        dup = np.ones(reposts.sum(), dtype=bool)
        dup[first] = False
        kinds[idx[reposts][dup]] = 0
        keep = kinds[idx] > 0
        idx, original = idx[keep], original[keep]
        repost_of = np.zeros(n_posts, dtype=np.int64)  # 0: none; else a 1-based post id
        quote_of = np.zeros(n_posts, dtype=np.int64)
        is_repost = kinds[idx] == 1
        repost_of[idx[is_repost]] = original[is_repost] + 1
        quote_of[idx[~is_repost]] = original[~is_repost] + 1
        self.post_author, self.post_created = authors, created
        self.repost_of, self.quote_of = repost_of, quote_of
        # Text, tags and mentions of the posts that are not reposts.
        own = repost_of == 0
        pool = rng.integers(0, len(self.pool_text), n_posts)
        pool[~own] = -1
        self.post_pool = pool
        mention_counts = rng.choice(3, size=n_posts, p=[0.78, 0.17, 0.05])
        mention_counts[~own] = 0
        m_post = np.repeat(np.arange(1, n_posts + 1, dtype=np.int64), mention_counts)
        m_user = rng.integers(1, n + 1, len(m_post))
        m_post, m_user = unique_pairs(m_post, m_user, max(n, n_posts))
        self.mention_post, self.mention_user = m_post, m_user
        log(
            f"seed: posts drawn: {int((repost_of > 0).sum()):,} reposts, "
            f"{int((quote_of > 0).sum()):,} quotes, {len(m_post):,} mentions"
        )

    def draw_likes_and_comments(self) -> None:
        rng, n, n_posts = self.rng, self.p.users, self.p.posts
        popularity = rng.lognormal(0, 1.5, n_posts + 1)
        popularity[0] = 0
        popularity /= popularity.sum()
        n_likes = int(n_posts * self.p.likes_per_post)
        activity = rng.lognormal(0, 1.0, n + 1)
        activity[0] = 0
        activity /= activity.sum()
        draw = int(n_likes * 1.15) + 100
        users = rng.choice(n + 1, size=draw, p=activity).astype(np.int64)
        posts = rng.choice(n_posts + 1, size=draw, p=popularity).astype(np.int64)
        _, first = np.unique(users * (n_posts + 1) + posts, return_index=True)
        first = np.sort(rng.permutation(first)[:n_likes])
        self.like_user, self.like_post = users[first], posts[first]
        delay = rng.exponential(86400, len(first))
        self.like_at = np.minimum(self.post_created[self.like_post - 1] + delay, self.now - 1)

        n_comments = int(n_posts * self.p.comments_per_post)
        posts = rng.choice(n_posts + 1, size=n_comments, p=popularity).astype(np.int64)
        authors = rng.integers(1, n + 1, n_comments).astype(np.int64)
        created = np.minimum(
            self.post_created[posts - 1] + rng.exponential(7200, n_comments), self.now - 1
        )
        order = np.lexsort((created, posts))
        posts, authors, created = posts[order], authors[order], created[order]
        starts = np.r_[True, posts[1:] != posts[:-1]]
        first_of_post = np.maximum.accumulate(np.where(starts, np.arange(n_comments), 0))
        can_reply = n_comments - int(starts.sum())
        replies = rng.random(n_comments) < min(1.0, 0.3 * n_comments / max(can_reply, 1))
        replies &= ~starts
        span = np.arange(n_comments) - first_of_post
        parent = first_of_post + np.floor(rng.random(n_comments) * span).astype(np.int64) + 1
        self.comment_parent = np.where(replies, parent, 0)
        self.comment_post, self.comment_author, self.comment_at = posts, authors, created

    def draw_viral(self) -> None:
        """`viral_post`: a post liked by `VIRAL_LIKES` accounts (all the others on a smaller
        set), and `quiet_post`: one of the same author, text and hashtags liked by none, the
        pair `viral_post_ratio` compares. Both are originals (no repost, no quote) without
        mentions, media, comments or likes of their own draw, reposted or quoted by no one,
        by a public, active account that is not a fixed one; the viewer of the comparison
        (`Roles.typical[1]`) is in no block and no mute, so it reads both."""
        n, rng = self.p.users, self.rng
        clear = (self.repost_of == 0) & (self.quote_of == 0)
        for ids in (self.repost_of, self.quote_of, self.mention_post):
            clear[ids[ids > 0] - 1] = False
        clear[self.like_post - 1] = False
        clear[self.comment_post - 1] = False
        author = self.post_author
        clear &= self.active[author] & ~self.private[author] & ~np.isin(author, list(self.fixed))
        # The newest two such posts of one author.
        seen: dict[int, int] = {}
        for index in np.flatnonzero(clear)[::-1].tolist():
            if author[index] in seen:
                viral, quiet = seen[author[index]], index
                break
            seen[author[index]] = index
        else:
            raise SystemExit("growth seed: no author with two posts for the viral pair")
        self.viral_post, self.quiet_post = viral + 1, quiet + 1
        self.post_pool[quiet] = self.post_pool[viral]
        # Active likers first, so that its like_count is the number too where it can be.
        k = min(VIRAL_LIKES, n - 1)
        others = np.arange(1, n + 1, dtype=np.int64)
        others = others[others != author[viral]]
        active = others[self.active[others]]
        likers = rng.choice(active, size=min(k, len(active)), replace=False)
        if len(likers) < k:
            likers = np.concatenate([likers, others[~self.active[others]][: k - len(likers)]])
        at = np.minimum(self.post_created[viral] + rng.exponential(86400, k), self.now - 1)
        self.like_user = np.concatenate([self.like_user, likers])
        self.like_post = np.concatenate([self.like_post, np.full(k, viral + 1, dtype=np.int64)])
        self.like_at = np.concatenate([self.like_at, at])
        self.viral_likes = k
        log(
            f"seed: post {self.viral_post} liked by {k:,} accounts, post {self.quiet_post} "
            f"(same author and text) by none"
        )

    # --- the load -----------------------------------------------------------------------
    def load_users(self) -> None:
        from django.contrib.auth.hashers import make_password

        n, rng = self.p.users, self.rng
        password = make_password("bench-password-not-secret")
        active, private = self.active, self.private
        first, last, usernames = self.first, self.last, self.usernames
        topics = rng.integers(0, len(TOPICS), (n + 1, 3)).tolist()
        nick = rng.integers(0, len(SYLLABLES), (n + 1, 2)).tolist()
        city = rng.integers(0, len(CITIES), n + 1).tolist()
        has_city = (rng.random(n + 1) < 0.7).tolist()
        joined = stamps(self.user_joined)
        bools = {True: "t", False: "f"}
        known = {
            "followers_count": np.bincount(
                self.follow_b, weights=self.active[self.follow_a], minlength=n + 1
            ).astype(np.int64),
            "following_count": np.bincount(
                self.follow_a, weights=self.active[self.follow_b], minlength=n + 1
            ).astype(np.int64),
            "posts_count": np.bincount(self.post_author, minlength=n + 1).astype(np.int64),
        }
        columns = names(
            "id, password, last_login, is_superuser, is_staff, is_active, date_joined, "
            "username, email, display_name, bio, avatar, location, website, is_private"
        )
        extra = {
            k: v[1:] if isinstance(v, np.ndarray) else v
            for k, v in self.extras("user_user", columns, known).items()
        }
        self.user_counts = known

        def lines(start, stop):
            rows = []
            for uid in range(start + 1, stop + 1):
                f, la, t = FIRST[first[uid]], LAST[last[uid]], topics[uid]
                bio = (
                    f"{TOPICS[t[0]]} and {TOPICS[t[1]]} person, into {TOPICS[t[2]]}. "
                    f"{SYLLABLES[nick[uid][0]]}{SYLLABLES[nick[uid][1]]}"
                )
                rows.append(
                    f"{uid}\t{password}\t\\N\tf\tf\t{bools[bool(active[uid])]}\t{joined[uid - 1]}"
                    f"\t{usernames[uid]}\tuser{uid}@bench.example\t{f} {la}\t{bio}"
                    f"\t\t{CITIES[city[uid]] if has_city[uid] else ''}\t\t"
                    f"{bools[bool(private[uid])]}"
                )
            return rows

        self.copy_text("user_user", columns, n, lines, extra)
        if "user_userstats" in self.tables:
            # The account's totals row (`UserStats`, made with the account by the app).
            ids = np.arange(1, n + 1, dtype=np.int64)
            stats = {"user_id": ("i8", ids)}
            for name in ("followers_count", "following_count", "posts_count"):
                if name in self.table_columns("user_userstats"):
                    kind = {"bigint": "i8", "integer": "i4", "smallint": "i2"}[
                        self.table_columns("user_userstats")[name][0]
                    ]
                    stats[name] = (kind, known[name][1:])
            self.copy_binary(
                "user_userstats", stats, self.extras("user_userstats", list(stats), {})
            )
        self.user_search = "moreau"

    def copy_rows(self, table: str, created_at, **columns: np.ndarray) -> None:
        """COPY rows of an id (1, 2, ...), a creation time (Unix seconds: an array, or one for
        every row) and the bigint `columns`, in binary."""
        rows = len(next(iter(columns.values())))
        fields = {
            "id": ("i8", np.arange(1, rows + 1, dtype=np.int64)),
            "created_at": ("ts", created_at),
            **{name: ("i8", value) for name, value in columns.items()},
        }
        self.copy_binary(table, fields, self.extras(table, list(fields), {}))

    def load_relations(self) -> None:
        self.copy_rows(
            "user_follow", self.follow_at, followee_id=self.follow_b, follower_id=self.follow_a
        )
        day_ago = self.now - 86400
        self.copy_rows("user_block", day_ago, blocked_id=self.block_b, blocker_id=self.block_a)
        self.copy_rows("user_mute", day_ago, muted_id=self.mute_b, muter_id=self.mute_a)

    def load_posts(self) -> None:
        n_posts, active = self.p.posts, self.active
        created = self.post_created
        stamp = stamps(created)
        # Mentions written into the text as the app would have parsed them.
        mention_text: dict[int, str] = {}
        for post, user in zip(self.mention_post.tolist(), self.mention_user.tolist(), strict=True):
            mention_text[post] = mention_text.get(post, "") + " @" + self.usernames[user]
        reposts = self.repost_of
        repost_authors = self.post_author[reposts > 0]
        known = {
            "like_count": np.bincount(
                self.like_post, weights=active[self.like_user], minlength=n_posts + 1
            )[1:].astype(np.int64),
            "comment_count": np.bincount(
                self.comment_post, weights=active[self.comment_author], minlength=n_posts + 1
            )[1:].astype(np.int64),
            "repost_count": np.bincount(
                reposts[reposts > 0], weights=active[repost_authors], minlength=n_posts + 1
            )[1:].astype(np.int64),
            "bookmark_count": 0,
        }
        columns = names("id, text, created_at, updated_at, author_id, repost_of_id, quote_of_id")
        extra = self.extras("post_post", columns, known)
        pool, texts = self.post_pool.tolist(), self.pool_text
        authors, repost_l, quote_l = (
            self.post_author.tolist(),
            reposts.tolist(),
            self.quote_of.tolist(),
        )

        def lines(start, stop):
            rows = []
            for i in range(start, stop):
                pid = i + 1
                text = texts[pool[i]] + mention_text.get(pid, "") if pool[i] >= 0 else ""
                r = repost_l[i] or "\\N"
                q = quote_l[i] or "\\N"
                rows.append(f"{pid}\t{text}\t{stamp[i]}\t{stamp[i]}\t{authors[i]}\t{r}\t{q}")
            return rows

        self.copy_text("post_post", columns, n_posts, lines, extra)

        # Hashtags, each post's as its pool text has them.
        created0 = self.now - 400 * 86400
        tag_rows = [
            f"{i}\t{name}\t{stamps(np.array([created0]))[0]}" for i, name in enumerate(self.tags, 1)
        ]
        self.copy_text(
            "post_hashtag",
            ["id", "name", "created_at"],
            len(tag_rows),
            lambda a, b: tag_rows[a:b],
            self.extras("post_hashtag", ["id", "name", "created_at"], {}),
        )
        ntags = np.array([len(t) for t in self.pool_tags], dtype=np.int64)
        offsets = np.r_[0, np.cumsum(ntags)]
        flat = np.array([t + 1 for tags in self.pool_tags for t in tags], dtype=np.int64)
        own = self.post_pool >= 0
        post_ids = np.arange(1, n_posts + 1, dtype=np.int64)[own]
        counts = ntags[self.post_pool[own]]
        tag_post = np.repeat(post_ids, counts)
        within = np.arange(len(tag_post)) - np.repeat(np.cumsum(counts) - counts, counts)
        tag_id = flat[np.repeat(offsets[self.post_pool[own]], counts) + within]
        tags = {
            "id": ("i8", np.arange(1, len(tag_post) + 1, dtype=np.int64)),
            "hashtag_id": ("i8", tag_id),
            "post_id": ("i8", tag_post),
        }
        self.copy_binary("post_posthashtag", tags, self.extras("post_posthashtag", list(tags), {}))
        self.load_hashtag = self.tags[5]

        shown = active[self.mention_user]
        m_post, m_user = self.mention_post[shown], self.mention_user[shown]
        mention_columns = ["id", "in_text", "post_id", "user_id"]
        self.copy_text(
            "post_postmention",
            mention_columns,
            len(m_post),
            lambda a, b: [f"{i + 1}\tt\t{m_post[i]}\t{m_user[i]}" for i in range(a, b)],
            self.extras("post_postmention", mention_columns, {}),
        )

    def load_media(self) -> None:
        rng, n_posts = self.rng, self.p.posts
        with_media = np.sort(
            rng.choice(np.arange(1, n_posts + 1), size=n_posts // 20, replace=False)
        )
        per_post = rng.choice([1, 2], size=len(with_media), p=[0.7, 0.3])
        post = np.repeat(with_media, per_post)
        position = np.arange(len(post)) - np.repeat(np.cumsum(per_post) - per_post, per_post)
        plain = ~np.isin(post, [self.viral_post, self.quiet_post])  # the viral pair has none
        post, position = post[plain], position[plain]
        stamp = stamps(self.post_created[post - 1])
        owner = self.post_author[post - 1].tolist()
        post_l, position_l = post.tolist(), position.tolist()
        columns = names(
            "id, file, thumbnail, width, height, description, position, created_at, owner_id, "
            "post_id, scheduled_post_id"
        )

        def lines(start, stop):
            rows = []
            for i in range(start, stop):
                name = f"{i + 1:08x}{post_l[i]:08x}"
                rows.append(
                    f"{i + 1}\tmedia/bench/{name}.jpg\tthumbnails/bench/{name}.jpg\t1200\t800\t"
                    f"a photo\t{position_l[i]}\t{stamp[i]}\t{owner[i]}\t{post_l[i]}\t\\N"
                )
            return rows

        self.copy_text(
            "post_media", columns, len(post), lines, self.extras("post_media", columns, {})
        )

    def load_likes_and_comments(self) -> None:
        self.copy_rows("post_like", self.like_at, user_id=self.like_user, post_id=self.like_post)
        n = len(self.comment_post)
        active = self.active
        parent = self.comment_parent
        known = {
            "reply_count": np.bincount(
                parent[parent > 0],
                weights=active[self.comment_author[parent > 0]],
                minlength=n + 1,
            )[1:].astype(np.int64),
            "like_count": 0,
        }
        columns = names(
            "id, text, created_at, updated_at, author_id, post_id, in_reply_to_id, deleted"
        )
        extra = self.extras("post_comment", columns, known)
        rnd = self.random
        words = list(TOPICS + SYLLABLES)
        pool = [" ".join(rnd.choices(words, k=rnd.randint(3, 15))) for _ in range(20_000)]
        which = self.rng.integers(0, len(pool), n).tolist()
        stamp = stamps(self.comment_at)
        author, post, parent_l = (
            self.comment_author.tolist(),
            self.comment_post.tolist(),
            parent.tolist(),
        )

        def lines(start, stop):
            return [
                f"{i + 1}\t{pool[which[i]]}\t{stamp[i]}\t{stamp[i]}\t{author[i]}\t{post[i]}\t"
                f"{parent_l[i] or chr(92) + 'N'}\tf"
                for i in range(start, stop)
            ]

        self.copy_text("post_comment", columns, n, lines, extra)

    # --- the whole seed (Seeder.run: indexes dropped, load, rebuilt, VACUUM, meta) --------
    def bulk_tables(self) -> tuple[str, ...]:
        with self.conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            present = {row[0] for row in cur.fetchall()}
        # The app's tables of the data set (user_userstats: the account totals, when the
        # app's migrations have that table).
        self.tables = tuple(t for t in (*TABLES, "user_userstats") if t in present)
        return self.tables

    def before_load(self) -> None:
        pass  # the totals are COPYed with their rows

    def load(self) -> None:
        started = time.perf_counter()
        self.draw_users()
        self.draw_follows()
        self.draw_blocks_and_mutes()
        self.draw_text_pool()
        self.draw_posts()
        self.draw_likes_and_comments()
        self.draw_viral()
        log(f"seed: drawn in {time.perf_counter() - started:.1f} s")
        self.load_users()
        self.load_relations()
        self.load_posts()
        self.load_media()
        self.load_likes_and_comments()

    def after_rebuild(self) -> None:
        pass

    def meta(self) -> dict[str, str]:
        return {
            **super().meta(),
            "now": f"{self.now:.6f}",
            "viral_post": str(self.viral_post),
            "quiet_post": str(self.quiet_post),
            "viral_likes": str(self.viral_likes),
            "viral_viewer": str(self.roles.typical[1]),
        }


def ensure_seeded(name: str, *, force: bool = False) -> dict:
    """The growth set `name` in `social_bench_<name>`, seeded unless it holds the set."""
    params = bench_config.growth_params(name)
    url = bench_config.growth_database_url(name)
    if db_name(url) == "social_bench":
        raise SystemExit("growth seed: refusing to write the bench database itself")
    return ensure_database(url, params.key(), lambda: GrowthSeeder(params, url), force=force)


def growth_phase(names: list[str], seconds: float) -> None:
    """The growth phase of `make bench` (bench/growth.py) alone, on two growth sets (the
    smaller network first; each seeded first unless it holds its set), and its summary
    lines; the bench's own database is not touched."""
    os.environ["BENCH_GROWTH_ALIASES"] = ",".join(names)
    setup_django(bench_config.growth_database_url(names[0]))
    from bench import growth

    cfg = bench_config.load()
    sets = growth.measure(cfg, {name: ensure_seeded(name) for name in names}, seconds)
    small, large = (sets[name] for name in names)
    for line, wanted, measured, met in growth.targets(small, large):
        log(f"{line}: {measured}  (target {wanted}: {'met' if met else 'not met'})")


def setup_django(database_url: str) -> None:
    cfg = bench_config.load()
    os.environ.update(bench_config.server_env(cfg, database_url))
    import django

    django.setup()


def source_tree(rev: str | None) -> Path:
    """The working tree, or `git archive REV` unpacked under var/bench/ (read only)."""
    if not rev:
        return ROOT
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    target = ROOT / "var" / "bench" / f"src-{sha}"
    if not (target / "manage.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


# The session settings an OLTP deployment usually runs with (see docs/feed-at-scale.md): no
# JIT compilation and no parallel workers for a page query.
OLTP = "jit=off,max_parallel_workers_per_gather=0"


# The index a two-step feed (ids, then the page) would add: the global newest-first order
# with the columns the feed's row choice reads, so that the choice is an index-only scan.
COVERING = (
    "CREATE INDEX IF NOT EXISTS post_recent_cover ON post_post "
    "(created_at DESC, id DESC) INCLUDE (author_id, repost_of_id)"
)


def measure(
    urls: list[str], rev: str | None, runs: int, budget: float, settings: str, cover: bool = False
) -> None:
    src = source_tree(rev)
    OUT.mkdir(parents=True, exist_ok=True)
    state = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    for url in urls:
        tag = ("-oltp" if settings else "") + ("-cover" if cover else "")
        if cover:
            if db_name(url) == "social_bench":
                raise SystemExit("measure: --cover adds an index: not on the bench database")
            conn = connect(url)
            with conn.cursor() as cur:
                started = time.perf_counter()
                cur.execute(COVERING)
                cur.execute("VACUUM (ANALYZE) post_post")
            log(f"measure: {COVERING} in {time.perf_counter() - started:.1f} s")
        label = f"{db_name(url)}@{rev or 'worktree'}{tag}"
        out = OUT / f"{db_name(url)}-{rev or 'worktree'}{tag}.json"
        log(f"measure: {label} ({rev or 'git ' + state}) -> {out}")
        subprocess.run(
            [
                str(bench_config.VENV_BIN / "python"),
                str(ROOT / "bench" / "feed_probe.py"),
                "--database",
                url,
                "--src",
                str(src),
                "--out",
                str(out),
                "--runs",
                str(runs),
                "--budget",
                str(budget),
                "--set",
                settings,
                "--label",
                f"{label} {state if not rev else ''}".strip(),
            ],
            check=True,
        )
        if cover:
            with conn.cursor() as cur:
                cur.execute("DROP INDEX post_recent_cover")
            conn.close()
            log("measure: post_recent_cover dropped")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fanout(name: str, cap: int, workers: int) -> dict:
    """The Redis side of a fan-out design, measured on a throwaway redis-server (started
    here on a free loopback port, no persistence, stopped at the end).

    - write: a new post by the most-followed account reaches every follower's timeline (a
      sorted set of post ids scored by time, capped at `cap`): the follower ids read from
      user_follow, then ZADD + ZREMRANGEBYRANK pipelined in batches of 1,000, split over
      `workers` processes; the timelines already hold `cap` entries each;
    - memory: MEMORY USAGE of a full timeline at several caps (listpack up to 128 entries,
      the default `zset-max-listpack-entries`, a skiplist above);
    - read: ZREVRANGEBYSCORE of a page (21 ids) from a full timeline, one connection;
    - rebuild on a miss: the pull query for `cap` rows (LATERAL_IDS under half the square
      root of the accounts followed, the app's global scan above) for each probe.
    """
    import multiprocessing

    import psycopg2
    import redis

    from bench.feed_probe import positional

    url = bench_config.growth_database_url(name)
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    out: dict = {"database": db_name(url), "cap": cap, "workers": workers}
    try:
        r = redis.Redis(port=port)
        for _ in range(50):
            try:
                r.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        conn = psycopg2.connect(url)
        cur = conn.cursor()
        cur.execute(
            "SELECT u.id, s.followers_count FROM user_user u JOIN user_userstats s "
            "ON s.user_id = u.id WHERE u.is_active AND NOT u.is_private "
            "ORDER BY s.followers_count DESC LIMIT 1"
        )
        author, followers_count = cur.fetchone()
        cur.execute("SELECT max(id), extract(epoch FROM max(created_at)) FROM post_post")
        max_post, newest = cur.fetchone()
        newest = float(newest)
        # Memory per timeline at several caps (1,000 timelines each, ids of real size).
        memory = {}
        for size in (100, 128, 200, 400, 800):
            keys = [f"mem{size}:{i}" for i in range(1000)]
            pipe = r.pipeline(transaction=False)
            for n, key in enumerate(keys):
                ids = range(max_post - (n + 1) * size, max_post - n * size)
                pipe.zadd(key, {str(i): newest - j * 60 for j, i in enumerate(ids)})
            pipe.execute()
            usage = [r.memory_usage(k) for k in keys[:100]]
            memory[size] = {
                "bytes": statistics.median(usage),
                "encoding": r.object("encoding", keys[0]).decode(),
            }
            r.delete(*keys)
        out["memory"] = memory
        log(f"fanout: bytes per timeline {memory}")
        # The followers, and their timelines filled to the cap.
        t0 = time.perf_counter()
        cur.execute("SELECT follower_id FROM user_follow WHERE followee_id = %s", [author])
        followers = [row[0] for row in cur.fetchall()]
        read_s = time.perf_counter() - t0
        before = r.info("memory")["used_memory"]
        pipe = r.pipeline(transaction=False)
        base = {str(max_post - 10 * cap + i): newest - 3600 - i * 60 for i in range(cap)}
        for n, follower in enumerate(followers, 1):
            pipe.zadd(f"tl:{follower}", base)
            if n % 1000 == 0:
                pipe.execute()
        pipe.execute()
        filled = r.info("memory")["used_memory"] - before
        out.update(author=author, followers=len(followers), followers_count=followers_count)
        out["filled_bytes_per_timeline"] = filled / len(followers)
        log(
            f"fanout: {len(followers):,} followers of {author} read in {read_s * 1000:.0f} ms; "
            f"their full timelines take {filled / len(followers):,.0f} B each"
        )
        # The write: one new post into every follower's timeline, `workers` processes.
        t0 = time.perf_counter()
        chunks = [followers[i::workers] for i in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pool.starmap(_fan, [(port, chunk, max_post + 1, newest + 1, cap) for chunk in chunks])
        write_s = time.perf_counter() - t0
        out["fanout_s"] = read_s + write_s
        out["fanout_read_s"], out["fanout_write_s"] = read_s, write_s
        log(
            f"fanout: a post by {author} into {len(followers):,} timelines in "
            f"{read_s + write_s:.2f} s ({workers} processes; the follower query {read_s:.2f} s)"
        )
        assert r.zscore(f"tl:{followers[-1]}", str(max_post + 1)) is not None
        assert r.zcard(f"tl:{followers[0]}") == cap
        # The read: a page of ids from a full timeline.
        key = f"tl:{followers[0]}"
        times = []
        for _ in range(1000):
            t0 = time.perf_counter()
            r.zrevrangebyscore(key, "+inf", "-inf", start=0, num=21, withscores=True)
            times.append((time.perf_counter() - t0) * 1000)
        out["read_ms"] = statistics.median(times)
        log(f"fanout: a page of 21 ids from a full timeline: p50 {out['read_ms']:.3f} ms")
        # Rebuild on a miss: the pull query for `cap` rows.
        meta = read_meta(url)
        probes = {int(c): int(u) for c, u in (p.split(":") for p in meta["probes"].split(","))}
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'user_user'")
        accounts = cur.fetchone()[0]
        cur.execute("SET jit = off")
        cur.execute("SET max_parallel_workers_per_gather = 0")
        rebuild = {}
        for follows, uid in sorted(probes.items()):
            lateral = 4 * follows * follows < accounts
            sql, params = _rebuild_sql(cur, uid, cap, lateral, positional)
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                cur.execute(sql, params)
                rows = cur.fetchall()
                times.append((time.perf_counter() - t0) * 1000)
            rebuild[follows] = {
                "ms": statistics.median(times),
                "rows": len(rows),
                "how": "lateral" if lateral else "global",
            }
            log(f"fanout: rebuild {follows:>5} followed: {rebuild[follows]}")
        out["rebuild"] = rebuild
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"fanout-{db_name(url)}.json").write_text(json.dumps(out, indent=1, default=str))
    return out


def _fan(port: int, followers: list[int], post: int, at: float, cap: int) -> None:
    import redis

    r = redis.Redis(port=port)
    pipe = r.pipeline(transaction=False)
    for n, follower in enumerate(followers, 1):
        key = f"tl:{follower}"
        pipe.zadd(key, {str(post): at})
        pipe.zremrangebyrank(key, 0, -(cap + 1))
        if n % 1000 == 0:
            pipe.execute()
    pipe.execute()


def _rebuild_sql(cur, uid: int, cap: int, lateral: bool, positional):
    """The viewer's newest `cap` feed rows, raw: LATERAL_IDS, or the global newest-first scan
    filtered by the followee set (the app's plan), with the same rule."""
    from bench.feed_probe import GLOBAL_IDS, LATERAL_IDS

    cur.execute(
        "SELECT coalesce(array_agg(blocked_id), '{}') FROM user_block WHERE blocker_id = %s",
        [uid],
    )
    hidden = list(cur.fetchone()[0])
    cur.execute(
        "SELECT coalesce(array_agg(blocker_id), '{}') FROM user_block WHERE blocked_id = %s",
        [uid],
    )
    hidden += list(cur.fetchone()[0])
    cur.execute(
        "SELECT coalesce(array_agg(muted_id), '{}') FROM user_mute WHERE muter_id = %s", [uid]
    )
    muted = list(cur.fetchone()[0])
    cur.execute(
        "SELECT coalesce(array_agg(followee_id), '{}') FROM user_follow f JOIN user_user u "
        "ON u.id = f.followee_id WHERE f.follower_id = %s AND u.is_private",
        [uid],
    )
    readable = [uid, *cur.fetchone()[0]]
    named = {
        "viewer": uid,
        "hidden": hidden,
        "muted": muted,
        "readable": readable,
        "at": datetime.now(UTC),
        "id": 2**63 - 1,
        "limit": cap,
    }
    if lateral:
        return positional(LATERAL_IDS.format(select="c.id, c.created_at"), named)
    return positional(GLOBAL_IDS, named)


VARIANTS = (
    "app",
    "app_first",
    "app_ids",
    "two_step",
    "lateral",
    "lateral_ids",
    "lateral_io",
    "lateral_io_ids",
    "ids",
    "ids_feed",
    "celebrity_ids",
)


def report(tag: str = "worktree-oltp") -> None:
    """The tables of docs/feed-at-scale.md from var/bench/feed-at-scale/*.json: every
    variant per data set, then the designs side by side, with `tag` (e.g. `worktree-oltp`)
    naming the runs compared."""
    results = {p.stem: json.loads(p.read_text()) for p in sorted(OUT.glob("social_bench*.json"))}
    for r in results.values():
        print(f"\n### {r['label']}: {r['accounts']:,} accounts, {r['posts']:,} posts\n")
        probes = sorted(r["probes"], key=int)
        print("| p50 ms | " + " | ".join(f"{int(k):,} followed" for k in probes) + " |")
        print("| --- | " + " | ".join("---:" for _ in probes) + " |")
        for name in VARIANTS:
            cells = []
            for k in probes:
                v = r["probes"][k]["variants"].get(name)
                cells.append(f"{v['p50']:.2f}{' (JIT)' if v['jit'] else ''}" if v else "-")
            print(f"| {name} | " + " | ".join(cells) + " |")
        for key in ("same", "io_same", "io_fallbacks"):
            cells = [str(r["probes"][k].get("exact", {}).get(key)) for k in probes]
            print(f"| exact: {key} | " + " | ".join(cells) + " |")
    small, large = results.get(f"social_bench_10k-{tag}"), results.get(f"social_bench_1m-{tag}")
    if not (small and large):
        return
    cover = {name: results.get(f"social_bench_{name}-{tag}-cover") for name in ("10k", "1m")}
    fan = {}
    for name in ("10k", "1m"):
        path = OUT / f"fanout-social_bench_{name}.json"
        if path.exists():
            fan[name] = json.loads(path.read_text())
    redis_ms = max((f["read_ms"] for f in fan.values()), default=0.0)

    def cell(r, k, name):
        return r["probes"][k]["variants"][name]["p50"]

    def hybrid(r, k):
        # The crossover the cells show: LATERAL under half the square root of the accounts.
        lateral = 4 * int(k) ** 2 < r["accounts"]
        return cell(r, k, "lateral" if lateral else "app")

    def fanout_read(r, k):
        extra = cell(r, k, "celebrity_ids") if "celebrity_ids" in r["probes"][k]["variants"] else 0
        return redis_ms + extra + cell(r, k, "ids_feed")

    designs = {
        "(a) app now: global post_recent scan": lambda r, _n, k: cell(r, k, "app"),
        "(b) LATERAL per followee": lambda r, _n, k: cell(r, k, "lateral"),
        "(c) hybrid: (b) if 4 followed^2 < accounts, else (a)": lambda r, _n, k: hybrid(r, k),
        "(b') LATERAL, index-only, exact-or-fallback (2 statements)": lambda r, _n, k: cell(
            r, k, "lateral_io"
        ),
        "(a') two statements, post_recent_cover (index-only)": lambda _r, n, k: (
            cell(cover[n], k, "two_step") if cover.get(n) else float("nan")
        ),
        "(c') best pull per cell: min of the above": lambda r, n, k: min(
            x
            for x in (
                cell(r, k, "app"),
                cell(r, k, "lateral"),
                cell(r, k, "lateral_io"),
                cell(cover[n], k, "two_step") if cover.get(n) else float("inf"),
            )
        ),
        "(d) fan-out read: Redis page + celebrities' LATERAL + page by ids (rule at read)": (
            lambda r, _n, k: fanout_read(r, k)
        ),
        "(d0) page by ids alone (the floor)": lambda r, _n, k: cell(r, k, "ids"),
    }
    probes = sorted(large["probes"], key=int)
    print(f"\n### Designs, p50 ms ({tag}); 10k-account set / 1M-account set\n")
    head = " | ".join(f"{int(k):,}" for k in probes)
    print(f"| design | {head} | worst 1M/10k | 5,000/100 (10k, 1M) |")
    print("| --- | " + " | ".join("---:" for _ in probes) + " | ---: | ---: |")
    for design, f in designs.items():
        cells, ratios = [], []
        for k in probes:
            a, b = f(small, "10k", k), f(large, "1m", k)
            cells.append(f"{a:.1f} / {b:.1f}")
            ratios.append(b / a)
        worst = max(ratios)
        spread = [f(r, n, "5000") / f(r, n, "100") for r, n in ((small, "10k"), (large, "1m"))]
        print(
            f"| {design} | " + " | ".join(cells) + f" | {worst:.2f} | "
            f"{spread[0]:.2f}, {spread[1]:.2f} |"
        )
    print("\nratio per cell (1M / 10k):\n")
    print(f"| design | {head} |")
    print("| --- | " + " | ".join("---:" for _ in probes) + " |")
    for design, f in designs.items():
        cells = [f"{f(large, '1m', k) / f(small, '10k', k):.2f}" for k in probes]
        print(f"| {design.split(':')[0]} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    seed = sub.add_parser("seed", help="seed social_bench_<NAME> unless it holds the data set")
    seed.add_argument("name", choices=list(bench_config.GROWTH_SETS))
    seed.add_argument("--force", action="store_true", help="seed again even if it matches")
    run = sub.add_parser("measure", help="time the feed page on growth data sets")
    run.add_argument("names", nargs="*", choices=[[], *bench_config.GROWTH_SETS], default=[])
    run.add_argument("--database", action="append", default=[], help="also this database URL")
    run.add_argument("--rev", help="generate the app's SQL from this commit (git archive)")
    run.add_argument("--runs", type=int, default=21)
    run.add_argument("--budget", type=float, default=60.0, help="seconds per query at most")
    run.add_argument(
        "--oltp", action="store_true", help=f"with the session settings {OLTP} (else the server's)"
    )
    run.add_argument(
        "--cover",
        action="store_true",
        help="with post_recent_cover (created, then dropped; growth databases only)",
    )
    fan = sub.add_parser("fanout", help="the Redis side of a fan-out design, measured")
    fan.add_argument("name", choices=list(bench_config.GROWTH_SETS))
    fan.add_argument("--cap", type=int, default=200, help="entries per timeline")
    fan.add_argument("--workers", type=int, default=2)
    phase = sub.add_parser("phase", help="make bench's growth phase alone on two growth sets")
    phase.add_argument("names", nargs=2, choices=list(bench_config.GROWTH_SETS))
    phase.add_argument("--seconds", type=float, default=5.0, help="per probe (full: 5)")
    rep = sub.add_parser("report", help="print the tables from the last measurements")
    rep.add_argument("--tag", default="worktree-oltp", help="the runs the designs compare")
    args = parser.parse_args()
    if args.command == "measure":
        urls = [bench_config.growth_database_url(n) for n in args.names] + args.database
        measure(urls, args.rev, args.runs, args.budget, OLTP if args.oltp else "", args.cover)
        return 0
    if args.command == "fanout":
        setup_django(bench_config.growth_database_url(args.name))
        fanout(args.name, args.cap, args.workers)
        return 0
    if args.command == "report":
        report(args.tag)
        return 0
    if args.command == "phase":
        growth_phase(args.names, args.seconds)
        return 0
    if args.command == "seed":
        setup_django(bench_config.growth_database_url(args.name))
        meta = ensure_seeded(args.name, force=args.force)
        log(f"seed: probes {meta['probes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

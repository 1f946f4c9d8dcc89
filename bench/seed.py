"""Seed a dedicated PostgreSQL database fast: COPY with indexes and constraints built after.

The data set (defaults; see bench/config.py for the scales):
- users: profile text drawn from name, word and city lists, so `?search=` has something to
  find in usernames, display names and bios; one password hash computed once and reused;
- follows with a heavy tail: most users follow 20-100 accounts, 2.5% fewer, 0.5% follow
  1,000+; followees chosen by a Zipf-like popularity, so a few accounts have thousands of
  followers. Fixed accounts for the load and the growth probes (see `Roles`);
- posts spread over a year, ids in time order, authors with a long-tailed activity, text
  from a Zipf-distributed vocabulary with 0-3 hashtags from a Zipf-like tag distribution
  (PostHashtag and Hashtag rows written to match what the app would have parsed); 5% of
  posts carry one or two media rows;
- conversations: 10% of posts are reposts (empty text, an earlier post, one per user and
  original), 2% quotes of an earlier post, 20% mention one or two accounts (PostMention rows
  as the app would write them), and 30% of comments reply to an earlier comment of their
  post;
- safety: 5% of accounts are private, and 1% of accounts block 5 to 50 others (a typical
  user among them), with no follow left between a blocked pair, as the app leaves it;
- likes and comments on long-tailed post popularity, likes unique per (user, post);
- notifications of those likes, comments and follows (about 3 million), plus 100,000 for
  one account (`Roles.notified`): see bench/notifications.py.

A database is reused while its `bench_meta` row says the same parameters were seeded to
completion; otherwise it is dropped and seeded again. Rows the load adds (posts, likes,
comments, hashtags, scheduled posts, tokens) are deleted at the start of every run, so each
run starts from the same state.
"""

import io
import itertools
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg2

from bench import notifications
from bench.config import ROOT, VENV_BIN, Config, SeedParams, server_env

# Tables loaded with COPY; their secondary indexes and constraints are dropped first.
BULK_TABLES = (
    "user_user",
    "user_follow",
    "post_hashtag",
    "post_post",
    "post_posthashtag",
    "post_media",
    "post_like",
    "post_comment",
    "post_postmention",
    "notifications_notification",
    "user_block",
)
# The app's denormalised totals (filled after the load: `Seeder.fill_counters`).
COUNTER_COLUMNS = {
    "post_post": ("like_count", "comment_count", "repost_count", "bookmark_count"),
    "post_comment": ("reply_count", "like_count"),
}
# Tables keyed by the account (no id column of their own, no sequence).
KEYED_BY_ACCOUNT = ("user_userstats",)
# Rows the load phases add, deleted at the start of each run (children first).
RUN_TABLES = (
    ("notifications_notification", "max_notification"),
    ("post_postmention", "max_postmention"),
    ("post_commentmention", "max_commentmention"),
    ("post_commentlike", "max_commentlike"),
    ("post_bookmark", "max_bookmark"),
    ("post_media", "max_media"),
    ("post_posthashtag", "max_posthashtag"),
    ("post_comment", "max_comment"),
    ("post_like", "max_like"),
    ("post_post", "max_post"),
    ("post_hashtag", "max_hashtag"),
    ("user_follow", "max_follow"),
)

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ne",
    "to",
    "su",
    "vi",
    "da",
    "pe",
    "ro",
    "la",
    "ti",
    "na",
    "mo",
    "ze",
    "fa",
    "bu",
    "ki",
    "sa",
    "no",
    "le",
    "ri",
    "ta",
    "go",
    "ve",
    "ma",
    "cu",
    "ho",
    "pi",
    "di",
    "ja",
    "re",
    "si",
    "ko",
    "lu",
]
FIRST = [
    "Alice",
    "Bruno",
    "Chloe",
    "Diego",
    "Emma",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Mila",
    "Noah",
    "Olga",
    "Pablo",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wout",
    "Xena",
    "Yusuf",
    "Zoe",
    "Ada",
    "Ben",
    "Cleo",
    "Dara",
]
LAST = [
    "Moreau",
    "Novak",
    "Silva",
    "Jensen",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Okafor",
    "Fischer",
    "Larsen",
    "Duarte",
    "Petrov",
    "Nguyen",
    "Garcia",
    "Murphy",
    "Weber",
    "Costa",
    "Ivanova",
    "Berg",
    "Schmidt",
    "Rahman",
    "Kim",
    "Lopez",
    "Meyer",
]
CITIES = [
    "Berlin",
    "Paris",
    "Lisbon",
    "Warsaw",
    "Lagos",
    "Tokyo",
    "Osaka",
    "Lyon",
    "Porto",
    "Austin",
    "Denver",
    "Oslo",
    "Madrid",
    "Rome",
    "Vienna",
    "Prague",
    "Dublin",
    "Seoul",
    "Quito",
    "Lima",
    "Nairobi",
    "Cairo",
    "Delhi",
    "Toronto",
    "Sydney",
]
TOPICS = [
    "python",
    "django",
    "postgres",
    "coffee",
    "running",
    "cycling",
    "music",
    "jazz",
    "photography",
    "travel",
    "cooking",
    "books",
    "film",
    "design",
    "rust",
    "golang",
    "climbing",
    "chess",
    "gardening",
    "science",
    "space",
    "art",
    "yoga",
]


# The growth probes: accounts that follow exactly this many others (those the data set has
# room for), user ids 5, 6, 7, 8 in this order.
PROBE_FOLLOWS = (10, 100, 1000, 5000)


@dataclass(frozen=True)
class Roles:
    """Fixed accounts: heavy followers, typical users, the growth probes, burst authors, the
    account with 100,000 notifications."""

    heavy: tuple[int, ...]
    probes: dict  # followed count -> user id
    typical: tuple[int, ...]
    notified: int = 18

    @classmethod
    def for_users(cls, users: int) -> "Roles":
        probe_counts = [c for c in PROBE_FOLLOWS if c < users]
        return cls(
            heavy=(1, 2, 3, 4),
            probes={count: 5 + i for i, count in enumerate(probe_counts)},
            typical=tuple(range(10, 18)),
        )


def log(message: str) -> None:
    print(message, flush=True)


def admin_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres"))


def db_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def connect(database_url: str):
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    return conn


def stored_key(database_url: str) -> str | None:
    try:
        conn = connect(database_url)
    except psycopg2.OperationalError:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('bench_meta')")
            if cur.fetchone()[0] is None:
                return None
            cur.execute("SELECT value FROM bench_meta WHERE key = 'params'")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


def migrate(database_url: str, config: Config | None = None) -> None:
    """The app's migrations on `database_url` (`manage.py migrate`, the bench's settings)."""
    from bench import config as bench_config

    subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env(config or bench_config.load(), database_url),
        check=True,
    )


def ensure_database(
    database_url: str, key: str, seeder, *, config: Config | None = None, force=False, reuse=None
) -> dict:
    """Seed `database_url` with `seeder()` (a `Seeder`) unless its `bench_meta` says it holds
    `key` (or `force`); migrate it either way, `reuse(database_url)` when it is kept; return
    the seed's metadata."""
    name = db_name(database_url)
    if not force and stored_key(database_url) == key:
        log(f"seed: reusing {name} ({key})")
        migrate(database_url, config)
        if reuse:
            reuse(database_url)
        return read_meta(database_url)
    log(f"seed: creating {name} ({key})")
    admin = connect(admin_url(database_url))
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    migrate(database_url, config)
    started = time.perf_counter()
    seeder().run()
    log(f"seed: {name} done in {time.perf_counter() - started:.1f} s")
    return read_meta(database_url)


def ensure_seeded(config: Config, params: SeedParams, database_url: str) -> dict:
    """The bench database: seeded unless it already holds `params`; the rows earlier runs
    added are deleted when it is kept."""
    return ensure_database(
        database_url,
        params.key(),
        lambda: Seeder(params, database_url),
        config=config,
        reuse=reset_run_rows,
    )


def read_meta(database_url: str) -> dict:
    conn = connect(database_url)
    with conn.cursor() as cur:
        cur.execute("SELECT key, value FROM bench_meta")
        meta = dict(cur.fetchall())
    conn.close()
    return meta


def reset_run_rows(database_url: str) -> None:
    """Delete what earlier runs added, so every run starts from the seeded state. The totals
    those rows bumped on seeded posts and accounts stay bumped (a few per post the load
    liked or commented on): nothing the bench measures depends on their values, and the
    next seed sets them from the rows."""
    meta = read_meta(database_url)
    conn = connect(database_url)
    with conn.cursor() as cur:
        cur.execute("DELETE FROM knox_authtoken")
        cur.execute(
            "UPDATE post_media SET scheduled_post_id = NULL WHERE id <= %s",
            [int(meta["max_media"])],
        )
        cur.execute("DELETE FROM post_scheduledpost")
        # Children before parents: the foreign keys do not cascade in the database.
        for table, key in RUN_TABLES:
            cur.execute(f"DELETE FROM {table} WHERE id > %s", [int(meta[key])])
    conn.close()


class Chunks(io.RawIOBase):
    """A file-like object over an iterator of byte strings, for `copy_expert`."""

    def __init__(self, chunks):
        self._chunks = iter(chunks)
        self._buffer = b""
        self._offset = 0

    def readable(self):
        return True

    def read(self, size=-1):
        while self._offset >= len(self._buffer):
            try:
                self._buffer, self._offset = next(self._chunks), 0
            except StopIteration:
                return b""
        if size is None or size < 0:
            size = len(self._buffer) - self._offset
        data = self._buffer[self._offset : self._offset + size]
        self._offset += len(data)
        return data


def text_lines(lines, batch: int = 2000) -> Chunks:
    """Text COPY rows (each with its newline) as a COPY source, encoded `batch` at a time."""
    rows = iter(lines)
    return Chunks(iter(lambda: "".join(itertools.islice(rows, batch)).encode(), b""))


def ts(value: float) -> str:
    """A Unix timestamp as a PostgreSQL timestamptz literal (UTC)."""
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")


def zipf_weights(n: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return weights / weights.sum()


class Seeder:
    def __init__(self, params: SeedParams, database_url: str):
        self.p = params
        self.url = database_url
        self.rng = np.random.default_rng(params.seed)
        self.random = random.Random(params.seed)
        self.now = time.time()
        self.roles = Roles.for_users(params.users)
        self.stats: list[tuple[str, int, float]] = []

    # --- plumbing -----------------------------------------------------------------------
    def copy(self, table: str, columns: str, lines, rows: int) -> None:
        """COPY text rows (`lines`: strings ending in a newline) into `table`."""
        self.copy_from(table, columns, text_lines(lines), rows)

    def copy_from(self, table: str, columns: str, source, rows, options: str = "") -> None:
        """COPY `source` (a file-like object) into `table`, timed and logged; `rows` is the
        row count, or a callable that tells it once the source is read."""
        started = time.perf_counter()
        with self.conn.cursor() as cur:
            cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN{options}", source)
        elapsed = time.perf_counter() - started
        rows = rows() if callable(rows) else rows
        self.stats.append((table, rows, elapsed))
        log(f"seed: {table:<18} {rows:>10,} rows {elapsed:7.1f} s {rows / elapsed:>10,.0f} rows/s")

    def drop_constraints_and_indexes(self, tables=BULK_TABLES) -> list[str]:
        """Drop secondary indexes and constraints of the bulk tables; return the DDL to redo."""
        redo_indexes, redo_constraints, drops = [], [], []
        with self.conn.cursor() as cur:
            for table in tables:
                cur.execute(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('f', 'u', 'c')",
                    [table],
                )
                for name, kind, definition in cur.fetchall():
                    drops.append(
                        (0 if kind == "f" else 1, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                    )
                    redo = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                    (redo_constraints if kind == "f" else redo_indexes).append(redo)
                cur.execute(
                    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                    "WHERE indrelid = %s::regclass AND NOT indisprimary AND indexrelid NOT IN "
                    "(SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table],
                )
                for name, definition in cur.fetchall():
                    drops.append((2, f"DROP INDEX {name}"))
                    redo_indexes.append(definition)
            for _, statement in sorted(drops, key=lambda d: d[0]):
                cur.execute(statement)
        return redo_indexes + redo_constraints

    # --- the whole seed: the same steps for every data set (bench/growth_1m.py too) ------
    def run(self) -> None:
        self.conn = connect(self.url)
        with self.conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("SET max_parallel_maintenance_workers = 2")
        tables = self.bulk_tables()
        redo = self.drop_constraints_and_indexes(tables)
        self.before_load()
        started = time.perf_counter()
        self.load()
        rows = sum(r for _, r, _ in self.stats)
        elapsed = time.perf_counter() - started
        log(f"seed: loaded {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
        started = time.perf_counter()
        with self.conn.cursor() as cur:
            for statement in redo:
                t0 = time.perf_counter()
                cur.execute(statement)
                if time.perf_counter() - t0 > 5:
                    log(f"seed: {time.perf_counter() - t0:5.1f} s  {statement[:90]}")
            for table in tables:
                if table in KEYED_BY_ACCOUNT:
                    continue  # no id, no sequence
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
        self.rebuild_s = time.perf_counter() - started
        log(f"seed: indexes and constraints rebuilt in {self.rebuild_s:.1f} s")
        self.after_rebuild()
        started = time.perf_counter()
        with self.conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
        log(f"seed: VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")
        self.write_meta()
        self.conn.close()

    def bulk_tables(self) -> tuple[str, ...]:
        """The tables COPY fills: their secondary indexes and constraints go first."""
        return BULK_TABLES

    def before_load(self) -> None:
        self.counter_defaults("SET DEFAULT 0")

    def load(self) -> None:
        """Draw the data set and COPY it."""
        self.seed_users()
        self.seed_follows()
        self.seed_blocks()
        self.seed_hashtags()
        self.seed_posts()
        self.seed_media()
        self.seed_likes()
        self.seed_comments()
        notifications.seed(self)

    def after_rebuild(self) -> None:
        started = time.perf_counter()
        self.fill_counters()
        self.counter_defaults("DROP DEFAULT")
        log(f"seed: counters filled in {time.perf_counter() - started:.1f} s")

    def counter_defaults(self, action: str) -> None:
        """The app's counter columns have no database default (Django fills them): COPY
        leaves them out, so they default to 0 while seeding and are filled after."""
        with self.conn.cursor() as cur:
            for table, columns in COUNTER_COLUMNS.items():
                for column in columns:
                    cur.execute(f"ALTER TABLE {table} ALTER COLUMN {column} {action}")

    def fill_counters(self) -> None:
        """Every total as the app keeps it (what active accounts did), set-based: a GROUP BY
        per counter instead of the app's per-row recount, which would take minutes here."""
        # (table, counter, counted table, its key to the table, the account that must be
        # active for a row to count, or None)
        counts = [
            ("post_post", "like_count", "post_like", "post_id", "user_id"),
            ("post_post", "comment_count", "post_comment", "post_id", "author_id"),
            ("post_post", "repost_count", "post_post", "repost_of_id", "author_id"),
            ("post_post", "bookmark_count", "post_bookmark", "post_id", "user_id"),
            ("post_comment", "reply_count", "post_comment", "in_reply_to_id", "author_id"),
            ("post_comment", "like_count", "post_commentlike", "comment_id", "user_id"),
            ("user_userstats", "followers_count", "user_follow", "followee_id", "follower_id"),
            ("user_userstats", "following_count", "user_follow", "follower_id", "followee_id"),
            ("user_userstats", "posts_count", "post_post", "author_id", None),
        ]
        with self.conn.cursor() as cur:
            # Every account's totals row, as the app makes it with the account.
            cur.execute(
                "INSERT INTO user_userstats (user_id, followers_count, following_count, "
                "posts_count) SELECT id, 0, 0, 0 FROM user_user"
            )
            for table, column, source, key, who in counts:
                active = f"JOIN user_user a ON a.id = x.{who} AND a.is_active" if who else ""
                row_id = "user_id" if table == "user_userstats" else "id"
                cur.execute(
                    f"UPDATE {table} t SET {column} = s.n FROM "
                    f"(SELECT x.{key} AS id, COUNT(*) AS n FROM {source} x {active} "
                    f"WHERE x.{key} IS NOT NULL GROUP BY 1) s WHERE s.id = t.{row_id}"
                )

    def meta(self) -> dict[str, str]:
        """What the load needs to know of the data set (the `bench_meta` table)."""
        meta = {
            "seeded_at": datetime.now(UTC).isoformat(),
            "seed_rows_per_s": ";".join(f"{t}={r}:{e:.2f}" for t, r, e in self.stats),
            "rebuild_s": f"{self.rebuild_s:.1f}",
            "heavy": ",".join(map(str, self.roles.heavy)),
            "typical": ",".join(map(str, self.roles.typical)),
            "notified": str(self.roles.notified),
            "probes": ",".join(f"{c}:{u}" for c, u in self.roles.probes.items()),
            "search_word": self.search_word,
            "hashtag": self.load_hashtag,
            "user_search": self.user_search,
        }
        with self.conn.cursor() as cur:
            for table, key in RUN_TABLES:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                meta[key] = str(cur.fetchone()[0])
        return meta

    def write_meta(self) -> None:
        meta = self.meta()
        # Written last: its presence means the seed completed.
        meta["params"] = self.p.key()
        with self.conn.cursor() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
            for key, value in meta.items():
                cur.execute(
                    "INSERT INTO bench_meta VALUES (%s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    [key, value],
                )

    # --- users and follows --------------------------------------------------------------
    def seed_users(self) -> None:
        from django.contrib.auth.hashers import make_password

        n = self.p.users
        # One real hash, reused: hashing 10,000 passwords with Argon2 would take minutes.
        password = make_password("bench-password-not-secret")
        rnd = self.random
        joined = np.sort(self.now - self.rng.uniform(30, 3 * 365, n) * 86400)
        self.user_joined = joined
        self.active = np.ones(n + 1, dtype=bool)
        protected = {
            *self.roles.heavy,
            *self.roles.probes.values(),
            *self.roles.typical,
            self.roles.notified,
        }
        for uid in self.rng.choice(np.arange(1, n + 1), size=n // 200, replace=False):
            if uid not in protected:
                self.active[uid] = False

        # Private accounts: 5%, never a fixed account (the load's feeds stay comparable).
        self.private = np.zeros(n + 1, dtype=bool)
        for uid in self.rng.choice(np.arange(1, n + 1), size=n // 20, replace=False):
            if uid not in protected:
                self.private[uid] = True

        # Index = user id, for the mentions written with the posts.
        self.usernames = usernames = [""]

        def lines():
            for uid in range(1, n + 1):
                first, last = rnd.choice(FIRST), rnd.choice(LAST)
                topics = rnd.sample(TOPICS, 3)
                nickname = rnd.choice(SYLLABLES) + rnd.choice(SYLLABLES)
                bio = f"{topics[0]} and {topics[1]} person, into {topics[2]}. {nickname}"
                location = rnd.choice(CITIES) if rnd.random() < 0.7 else ""
                usernames.append(f"{first.lower()}_{last.lower()}_{uid}")
                yield (
                    f"{uid}\t{password}\t\\N\tf\tf\t{'t' if self.active[uid] else 'f'}\t"
                    f"{ts(joined[uid - 1])}\t{usernames[uid]}\t"
                    f"user{uid}@bench.example\t{first} {last}\t{bio}\t\t{location}\t\t"
                    f"{'t' if self.private[uid] else 'f'}\n"
                )

        self.copy(
            "user_user",
            "id, password, last_login, is_superuser, is_staff, is_active, date_joined, "
            "username, email, display_name, bio, avatar, location, website, is_private",
            lines(),
            n,
        )
        self.user_search = "moreau"

    def with_fixed_counts(self, counts: np.ndarray) -> np.ndarray:
        """Followees per account (`counts`, index = user id) with the fixed accounts' own: the
        heavy followers 1,200-2,500, each probe exactly its number, typical users 40-80."""
        for i, uid in enumerate(self.roles.heavy):
            counts[uid] = (1200, 1600, 2000, 2500)[i]
        for count, uid in self.roles.probes.items():
            counts[uid] = count
        for uid in self.roles.typical:
            counts[uid] = self.rng.integers(40, 81)
        counts[0] = 0
        return np.minimum(counts, self.p.users - 1)

    def followee_counts(self) -> np.ndarray:
        n, rng = self.p.users, self.rng
        kind = rng.random(n + 1)
        counts = rng.integers(20, 101, n + 1)
        light = kind < 0.025
        counts[light] = rng.integers(1, 20, light.sum())
        heavy = kind > 0.995
        counts[heavy] = rng.integers(1000, 3001, heavy.sum())
        return self.with_fixed_counts(counts)

    def seed_follows(self) -> None:
        n, rng = self.p.users, self.rng
        counts = self.followee_counts()
        # Popularity: a Zipf-like weight over a random permutation of the accounts.
        popularity = np.empty(n + 1)
        popularity[0] = 0
        popularity[1:] = zipf_weights(n, 0.8)[rng.permutation(n)]
        popularity /= popularity.sum()
        self.popularity = popularity
        total = int(counts.sum())

        def lines():
            fid = 0
            for uid in range(1, n + 1):
                k = int(counts[uid])
                if k == 0:
                    continue
                draw = rng.choice(n + 1, size=int(k * 1.6) + 20, p=popularity)
                chosen = list(dict.fromkeys(int(x) for x in draw if x != uid))[:k]
                if len(chosen) < k:
                    rest = np.setdiff1d(np.arange(1, n + 1), [*chosen, uid])
                    chosen += [
                        int(x) for x in rng.choice(rest, size=k - len(chosen), replace=False)
                    ]
                start = max(self.user_joined[uid - 1], self.now - 700 * 86400)
                times = rng.uniform(start, self.now - 3600, k)
                for followee, at in zip(chosen, times, strict=True):
                    fid += 1
                    yield f"{fid}\t{ts(at)}\t{followee}\t{uid}\n"

        self.copy("user_follow", "id, created_at, followee_id, follower_id", lines(), total)

    def seed_blocks(self) -> None:
        """1% of accounts block 5 to 50 others, one typical user among them; the follows
        between each pair go, both ways, as `block_create` removes them. The growth probes
        are in no block, so that they keep following exactly their number of accounts."""
        n, rng = self.p.users, self.rng
        probes = set(self.roles.probes.values())
        blockers = {int(uid) for uid in rng.choice(np.arange(1, n + 1), size=n // 100)}
        blockers.add(self.roles.typical[0])
        pairs = []
        for blocker in sorted(blockers - probes):
            picks = rng.choice(np.arange(1, n + 1), size=int(rng.integers(5, 51)))
            pairs += [
                (blocker, int(b)) for b in dict.fromkeys(picks) if b != blocker and b not in probes
            ]
        created = ts(self.now - 86400)
        self.copy(
            "user_block",
            "id, created_at, blocked_id, blocker_id",
            (f"{i}\t{created}\t{b}\t{a}\n" for i, (a, b) in enumerate(pairs, 1)),
            len(pairs),
        )
        with self.conn.cursor() as cur:
            cur.execute(
                "DELETE FROM user_follow f USING user_block b WHERE "
                "(f.follower_id = b.blocker_id AND f.followee_id = b.blocked_id) OR "
                "(f.follower_id = b.blocked_id AND f.followee_id = b.blocker_id)"
            )

    # --- hashtags and posts -------------------------------------------------------------
    def seed_hashtags(self) -> None:
        h = self.p.hashtags
        names = dict.fromkeys(TOPICS)
        rnd = self.random
        while len(names) < h:
            names[
                "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))
                + rnd.choice(["", "", "life", "dev", str(rnd.randint(1, 99))])
            ] = None
        self.tags = list(names)[:h]
        created = ts(self.now - 400 * 86400)
        self.copy(
            "post_hashtag",
            "id, name, created_at",
            (f"{i}\t{name}\t{created}\n" for i, name in enumerate(self.tags, 1)),
            h,
        )
        # The tag the load asks for: frequent but not the most frequent.
        self.load_hashtag = self.tags[5]

    def seed_posts(self) -> None:
        n_posts, rng, rnd = self.p.posts, self.rng, self.random
        vocab = [
            "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(1, 3))) for _ in range(3000)
        ]
        vocab = list(dict.fromkeys(vocab))
        word_cum = np.cumsum(zipf_weights(len(vocab), 1.0)).tolist()
        # The search term: a word of middling frequency, as a person would search for.
        self.search_word = next(w for w in vocab[150:] if len(w) >= 5)
        tag_cum = np.cumsum(zipf_weights(len(self.tags), 1.1)).tolist()

        activity = rng.lognormal(0, 1.2, self.p.users + 1)
        activity[0] = 0
        authors = rng.choice(self.p.users + 1, size=n_posts, p=activity / activity.sum())
        created = np.sort(rng.uniform(self.now - 365 * 86400, self.now - 60, n_posts))
        # Authors post after they joined.
        joined = self.user_joined[authors - 1]
        created = np.maximum(created, joined + 60)
        order = np.argsort(created, kind="stable")
        authors, created = authors[order], created[order]
        self.post_created = np.concatenate([[0.0], created])
        self.post_author = np.concatenate([[0], authors])
        word_counts = rng.integers(6, 30, n_posts)
        tag_counts = rng.choice(4, size=n_posts, p=[0.3, 0.35, 0.25, 0.1])
        # Conversations: what each post is (0 a post, 1 a repost, 2 a quote) and its mentions.
        kinds = rng.choice(3, size=n_posts, p=[0.88, 0.10, 0.02])
        kinds[0] = 0
        # The scenario reads the middle post's words for its rare-phrase search.
        kinds[n_posts // 2 - 1] = 0
        # A fifth of all posts: reposts have no text, so a little more of the others.
        mention_counts = rng.choice(3, size=n_posts, p=[0.78, 0.17, 0.05])
        self.post_tags: list[tuple[int, int]] = []
        post_tags = self.post_tags
        mentions: list[tuple[int, int]] = []
        reposted: set[tuple[int, int]] = set()
        choices, tags = rnd.choices, self.tags
        n_users, usernames = self.p.users, self.usernames

        def lines():
            for i in range(n_posts):
                pid, author, stamp = i + 1, int(authors[i]), ts(created[i])
                if kinds[i]:
                    # An earlier post, never a repost (the app reposts the original).
                    original = rnd.randrange(1, pid)
                    while original and kinds[original - 1] == 1:
                        original = rnd.randrange(1, original) if original > 1 else 0
                    if original and kinds[i] == 1 and (author, original) not in reposted:
                        reposted.add((author, original))
                        yield f"{pid}\t\t{stamp}\t{stamp}\t{author}\t{original}\t\\N\n"
                        continue
                    quote_of = str(original) if original and kinds[i] == 2 else "\\N"
                else:
                    quote_of = "\\N"
                words = choices(vocab, cum_weights=word_cum, k=int(word_counts[i]))
                k = int(tag_counts[i])
                if k:
                    picked = dict.fromkeys(choices(range(len(tags)), cum_weights=tag_cum, k=k))
                    for t in picked:
                        post_tags.append((pid, t + 1))
                        words.insert(rnd.randrange(len(words) + 1), "#" + tags[t])
                named = {rnd.randint(1, n_users) for _ in range(int(mention_counts[i]))}
                for uid in sorted(named):
                    if self.active[uid]:
                        mentions.append((pid, uid))
                    words.insert(rnd.randrange(len(words) + 1), "@" + usernames[uid])
                yield f"{pid}\t{' '.join(words)}\t{stamp}\t{stamp}\t{author}\t\\N\t{quote_of}\n"

        self.copy(
            "post_post",
            "id, text, created_at, updated_at, author_id, repost_of_id, quote_of_id",
            lines(),
            n_posts,
        )
        self.copy(
            "post_posthashtag",
            "id, hashtag_id, post_id",
            (f"{i}\t{t}\t{p}\n" for i, (p, t) in enumerate(post_tags, 1)),
            len(post_tags),
        )
        self.copy(
            "post_postmention",
            "id, in_text, post_id, user_id",
            (f"{i}\tt\t{p}\t{u}\n" for i, (p, u) in enumerate(mentions, 1)),
            len(mentions),
        )
        self.post_tags = []

    def seed_media(self) -> None:
        rng, n_posts = self.rng, self.p.posts
        with_media = np.sort(
            rng.choice(np.arange(1, n_posts + 1), size=n_posts // 20, replace=False)
        )
        per_post = rng.choice([1, 2], size=len(with_media), p=[0.7, 0.3])
        total = int(per_post.sum())

        def lines():
            mid = 0
            for pid, k in zip(with_media, per_post, strict=True):
                stamp = ts(self.post_created[pid])
                author = self.post_author[pid]
                for position in range(int(k)):
                    mid += 1
                    name = f"{mid:08x}{int(pid):08x}"
                    yield (
                        f"{mid}\tmedia/bench/{name}.jpg\tthumbnails/bench/{name}.jpg\t1200\t800\t"
                        f"a photo\t{position}\t{stamp}\t{author}\t{pid}\t\\N\n"
                    )

        self.copy(
            "post_media",
            "id, file, thumbnail, width, height, description, position, created_at, "
            "owner_id, post_id, scheduled_post_id",
            lines(),
            total,
        )

    def post_popularity(self) -> np.ndarray:
        popularity = self.rng.lognormal(0, 1.5, self.p.posts + 1)
        popularity[0] = 0
        return popularity / popularity.sum()

    def seed_likes(self) -> None:
        rng, n_likes, n_posts, n_users = self.rng, self.p.likes, self.p.posts, self.p.users
        post_p = self.post_popularity()
        activity = rng.lognormal(0, 1.0, n_users + 1)
        activity[0] = 0
        activity /= activity.sum()
        draw = int(n_likes * 1.15) + 100
        users = rng.choice(n_users + 1, size=draw, p=activity)
        posts = rng.choice(n_posts + 1, size=draw, p=post_p)
        _, first = np.unique(users.astype(np.int64) * (n_posts + 1) + posts, return_index=True)
        first = np.sort(rng.permutation(first)[:n_likes])
        users, posts = users[first], posts[first]
        delay = rng.exponential(86400, len(posts))
        created = np.minimum(self.post_created[posts] + delay, self.now - 1)

        def lines():
            for i in range(len(posts)):
                yield f"{i + 1}\t{ts(created[i])}\t{users[i]}\t{posts[i]}\n"

        self.copy("post_like", "id, created_at, user_id, post_id", lines(), len(posts))

    def seed_comments(self) -> None:
        rng, rnd, n = self.rng, self.random, self.p.comments
        posts = rng.choice(self.p.posts + 1, size=n, p=self.post_popularity())
        authors = rng.integers(1, self.p.users + 1, n)
        created = np.minimum(self.post_created[posts] + rng.exponential(7200, n), self.now - 1)
        # By post, then oldest first: a reply answers an earlier comment of the same post.
        order = np.lexsort((created, posts))
        posts, authors, created = posts[order], authors[order], created[order]
        # 30% of all comments reply: a post's first comment cannot, so the others do more often.
        can_reply = n - len(np.unique(posts))
        replies = rng.random(n) < min(1.0, 0.3 * n / max(can_reply, 1))
        words = list(TOPICS + SYLLABLES)

        def lines():
            first_of_post = 0
            for i in range(n):
                if i and posts[i] != posts[i - 1]:
                    first_of_post = i
                parent = "\\N"
                if replies[i] and i > first_of_post:
                    parent = str(rnd.randrange(first_of_post, i) + 1)
                text = " ".join(rnd.choices(words, k=rnd.randint(3, 15)))
                stamp = ts(created[i])
                yield (
                    f"{i + 1}\t{text}\t{stamp}\t{stamp}\t{authors[i]}\t{posts[i]}\t{parent}\tf\n"
                )

        self.copy(
            "post_comment",
            "id, text, created_at, updated_at, author_id, post_id, in_reply_to_id, deleted",
            lines(),
            n,
        )


if __name__ == "__main__":  # pragma: no cover - manual use: python -m bench.seed
    import django

    from bench import config as bench_config

    cfg = bench_config.load()
    import os

    os.environ.update(server_env(cfg))
    django.setup()
    ensure_seeded(cfg, cfg.seed_params, cfg.database_url)
    sys.exit(0)

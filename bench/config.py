"""Benchmark parameters, all from the environment (documented in bench/README.md)."""

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"

# name: (users, posts, likes, comments, seconds per endpoint, deep pages)
SCALES = {
    "tiny": (1_100, 20_000, 40_000, 6_000, 2.0, 60),
    "small": (3_000, 200_000, 400_000, 60_000, 5.0, 500),
    "full": (10_000, 1_000_000, 2_000_000, 300_000, 10.0, 500),
}


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").replace("_", "") or default)


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, "") or default)


@dataclass(frozen=True)
class SeedParams:
    """Everything that decides the seeded data; a database is reused only on an exact match."""

    users: int
    posts: int
    likes: int
    comments: int
    hashtags: int
    seed: int
    heavy_notifications: int = 100_000  # of the one notification-heavy account
    version: int = 7  # bump when seed.py changes what it writes (7: the 5,000-follow probe)

    def key(self) -> str:
        return ",".join(f"{k}={v}" for k, v in asdict(self).items())


@dataclass(frozen=True)
class GrowthParams:
    """A feed-at-scale data set (bench/growth_1m.py, docs/feed-at-scale.md): `users` accounts,
    `posts` posts, follows long-tailed around `follows_mean` per account plus the fixed probes.
    Reused, like `SeedParams`, only on an exact match of `key()`."""

    users: int
    posts: int
    follows_mean: int = 20
    likes_per_post: float = 2.0
    comments_per_post: float = 0.3
    seed: int = 42
    version: int = 3  # bump when growth_1m.py changes what it writes (3: the viral post)

    def key(self) -> str:
        return "growth:" + ",".join(f"{k}={v}" for k, v in asdict(self).items())


# The feed-at-scale data sets, name: (users, posts), in databases `social_bench_<name>` (named
# by size: `social_bench_<scale>` is the bench's own database at another BENCH_SCALE). `1m` is
# the network; `10k` the bench's size drawn by the same generator (the cells it is
# compared with); `6k` and `60k` the same comparison at smoke size (seeded in seconds).
GROWTH_SETS = {
    "1m": (1_000_000, 5_000_000),
    "10k": (10_000, 1_000_000),
    "60k": (60_000, 150_000),
    "6k": (6_000, 30_000),
}
# The two growth sets the growth phase of `make bench` compares, per BENCH_SCALE: the smaller
# network, then the larger (`BENCH_GROWTH_SETS=small,large` chooses others).
GROWTH_PAIRS = {"full": ("10k", "1m"), "small": ("6k", "60k"), "tiny": ("6k", "60k")}


def growth_params(name: str) -> GrowthParams:
    if name not in GROWTH_SETS:
        raise SystemExit(f"growth set must be one of {', '.join(GROWTH_SETS)}, not {name!r}")
    users, posts = GROWTH_SETS[name]
    return GrowthParams(
        users=_int("BENCH_GROWTH_USERS", users),
        posts=_int("BENCH_GROWTH_POSTS", posts),
        follows_mean=_int("BENCH_GROWTH_FOLLOWS_MEAN", 20),
        seed=_int("BENCH_SEED", 42),
    )


def growth_database_url(name: str) -> str:
    """`social_bench_<name>` next to the bench database (`BENCH_DATABASE_URL`'s server)."""
    if name in SCALES:
        raise SystemExit(f"{name!r} names a bench scale's database, not a growth set")
    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/social_bench")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/social_bench_{name}"))


@dataclass(frozen=True)
class Config:
    scale: str
    seed_params: SeedParams
    database_url: str
    broker_url: str
    cache_url: str
    duration: float
    deep_pages: int
    connections: int
    workers: int
    port: int
    report_path: Path
    profile: bool
    skip: frozenset[str] = field(default_factory=frozenset)
    growth_sets: tuple[str, str] = GROWTH_PAIRS["full"]

    @property
    def database_name(self) -> str:
        return urlsplit(self.database_url).path.lstrip("/")


def load() -> Config:
    scale = os.environ.get("BENCH_SCALE", "full").strip().lower() or "full"
    if scale not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {scale!r}")
    users, posts, likes, comments, duration, deep_pages = SCALES[scale]
    params = SeedParams(
        users=_int("BENCH_USERS", users),
        posts=_int("BENCH_POSTS", posts),
        likes=_int("BENCH_LIKES", likes),
        comments=_int("BENCH_COMMENTS", comments),
        hashtags=_int("BENCH_HASHTAGS", 5_000),
        seed=_int("BENCH_SEED", 42),
        heavy_notifications=_int("BENCH_HEAVY_NOTIFICATIONS", 100_000),
    )
    db_name = "social_bench" if scale == "full" else f"social_bench_{scale}"
    default_report = (
        ROOT / "docs" / "performance.md"
        if scale == "full"
        else ROOT / "var" / "bench" / f"performance-{scale}.md"
    )
    return Config(
        scale=scale,
        seed_params=params,
        database_url=os.environ.get(
            "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{db_name}"
        ),
        broker_url=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14"),
        cache_url=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15"),
        duration=_float("BENCH_DURATION", duration),
        deep_pages=_int("BENCH_DEEP_PAGES", deep_pages),
        connections=_int("BENCH_CONNECTIONS", 4),
        workers=_int("BENCH_WORKERS", 2),
        port=_int("BENCH_PORT", 0),
        report_path=Path(os.environ.get("BENCH_REPORT", "") or default_report),
        profile=os.environ.get("BENCH_PROFILE", "1") not in ("0", "", "no"),
        skip=frozenset(s.strip() for s in os.environ.get("BENCH_SKIP", "").split(",") if s),
        growth_sets=_growth_pair(scale),
    )


def _growth_pair(scale: str) -> tuple[str, str]:
    names = [n.strip() for n in os.environ.get("BENCH_GROWTH_SETS", "").split(",") if n.strip()]
    if not names:
        return GROWTH_PAIRS[scale]
    if len(names) != 2 or not set(names) <= set(GROWTH_SETS):
        raise SystemExit(f"BENCH_GROWTH_SETS must name two of {', '.join(GROWTH_SETS)}")
    return names[0], names[1]


def server_env(config: Config, database_url: str | None = None) -> dict[str, str]:
    """The environment of every process the benchmark starts: production settings, bench DB."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-" + "k" * 50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url or config.database_url,
        CELERY_BROKER_URL=config.broker_url,
        CACHE_URL=config.cache_url,
        GUNICORN_ACCESS_LOG="",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY=str(config.workers),
        PYTHONPATH=str(ROOT),
    )
    for scope in ("ANON", "USER", "LOGIN", "LOGIN_EMAIL", "REGISTER", "MEDIA", "POSTS"):
        env[f"THROTTLE_{scope}"] = "100000000/min"
    # Bench users schedule far more than a person would.
    env["SCHEDULED_POSTS_MAX_PENDING"] = "1000000"
    env["SCHEDULED_POSTS_MAX_PER_DAY"] = "1000000"
    return env

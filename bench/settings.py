"""Production settings plus the benchmark's baseline route.

Only `ROOT_URLCONF` differs from `social_media.settings`: `bench/urls.py` mounts the
baseline view next to the product URLs, so the baseline never ships in the product.
"""

from social_media.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The orchestrator (bench/run.py) also reads the smaller growth database through its own
# alias; the server processes never set this.
if env.str("BENCH_GROWTH_DATABASE_URL", default=""):  # noqa: F405
    DATABASES["growth"] = env.db("BENCH_GROWTH_DATABASE_URL")  # noqa: F405

"""Production settings plus the benchmark's baseline route.

Only `ROOT_URLCONF` differs from `social_media.settings`: `bench/urls.py` mounts the
baseline view next to the product URLs, so the baseline never ships in the product.
"""

from bench.config import growth_database_url
from social_media.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The orchestrator (bench/run.py) also reads the growth data sets it measures, each through
# an alias of its own (`growth_<name>`, bench/config.py GROWTH_SETS); the servers never do.
for _name in env.list("BENCH_GROWTH_ALIASES", default=[]):  # noqa: F405
    DATABASES[f"growth_{_name}"] = env.db_url_config(growth_database_url(_name))  # noqa: F405

"""Service time of the uncached feed and `/posts/` in-process: Django's test client against
the bench database, no HTTP client and no network in the measurement. For A/B runs of two
checkouts in the same minutes (see bench/analysis.md, "Safety and counters").

    # from each checkout (a `git worktree` of the old commit, and this one), alternating:
    BENCH_AB_N=200 .venv/bin/python bench/ab.py

Prints one JSON line: requests per second for `feed_uncached`, `posts` and the bare
`baseline` view. Uses the bench database and cache of bench/config.py (seeded by
`make bench`), production settings (bench/settings.py), and users 10-17 (the typical
users of the seed).
"""

import base64
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.config import load, server_env  # noqa: E402


def main() -> None:
    config = load()
    os.environ.update(server_env(config))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    import django

    django.setup()
    from django.test import Client
    from knox.models import AuthToken

    from user.models import User

    n = int(os.environ.get("BENCH_AB_N", "200"))
    position = {"v": [datetime.now(UTC).isoformat(), 2**63 - 1]}
    cursor = base64.urlsafe_b64encode(json.dumps(position).encode()).decode()
    tokens = [
        AuthToken.objects.create(user=u)[1] for u in User.objects.filter(pk__in=range(10, 18))
    ]
    client = Client()
    paths = {
        "feed_uncached": f"/api/v1/feed/?cursor={cursor}",
        "posts": "/api/v1/posts/",
        "baseline": "/bench/baseline/",
    }
    result = {}
    for name, path in paths.items():
        for i in range(n + 5):
            if i == 5:  # five to warm up
                started = time.perf_counter()
            token = tokens[i % len(tokens)]
            response = client.get(path, HTTP_AUTHORIZATION=f"Token {token}")
            assert response.status_code == 200, (path, response.status_code)
        result[name] = round(n / (time.perf_counter() - started), 1)
    AuthToken.objects.filter(token_key__in=[t[:15] for t in tokens]).delete()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

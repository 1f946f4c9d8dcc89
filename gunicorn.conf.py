"""gunicorn settings shared by Docker Compose and the benchmark (`make bench`)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: the API is CPU-bound per request (serialization) with short DB waits; two
# per core is the usual starting point. WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

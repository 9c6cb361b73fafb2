"""gunicorn settings for Kium (deploy/systemd/kium-web.service runs it)."""

import multiprocessing
import os

bind = os.environ.get("KIUM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KIUM_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("KIUM_THREADS", "2"))
timeout = 30
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"

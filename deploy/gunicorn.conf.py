"""gunicorn settings for one app server (`gunicorn -c deploy/gunicorn.conf.py yorozu.wsgi`).

App servers share nothing but PostgreSQL, Redis and the media storage, so any number can run
behind the reverse proxy.
"""

import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.getenv("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (bounded memory)
max_requests_jitter = 200
# Loading the Japanese dictionary once in the master saves memory per worker.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")

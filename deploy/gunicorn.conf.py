"""gunicorn settings for one app server (`gunicorn -c deploy/gunicorn.conf.py yorozu.wsgi`).

App servers share nothing but PostgreSQL, Redis and the media storage, so any number can run
behind the reverse proxy.
"""

import gc
import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.getenv("GUNICORN_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
max_requests = 10000  # recycle workers now and then (bounded memory)
max_requests_jitter = 1000
# The app is loaded and warmed up once in the master (when_ready): each forked worker starts with
# every view imported, every template compiled and the Japanese dictionary mapped, shared with the master.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """In the master, after the app is loaded and before the first worker is forked."""
    if os.getenv("GUNICORN_WARMUP", "True") == "False":  # bench/cold_start.py measures without it
        return
    from core.warmup import warm

    try:
        warm()
    except Exception:  # a failed warm-up costs the first requests their speed, never the server
        server.log.exception("warm-up failed; workers load the app on their first requests")
    # What the master built stays where it is: the collector would otherwise write to those pages in
    # every worker, turning shared memory into per-worker copies.
    gc.freeze()

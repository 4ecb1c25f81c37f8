"""Cold start: how long a freshly forked gunicorn worker (deploy/gunicorn.conf.py) takes to answer its
first requests, and how much memory each worker holds, with the master's warm-up (core/warmup.py) and
without it (--no-warmup). A worker is forked at start and again every time max_requests recycles one,
so its first requests are met by real visitors (prints figures; not a test).

    .venv/bin/python bench/cold_start.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_load
    .venv/bin/python bench/cold_start.py --database-url postgres://… --no-warmup

Uses a database that bench/load.py (or `manage.py seed_scale`) has filled; each run starts its own
gunicorn with one worker, so every request below meets the same fresh worker.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import SECRET, free_port, worker_memory  # noqa: E402  (after the path: run as a script)

PAGES = ["/", "/experts/?q=%E9%9B%86%E5%AE%A2", "/experts/?prefecture=13&sort=rating", "/organisations/?prefecture=13",
         "/accounts/login/", "/desk/"]


class Workers:
    def __init__(self, master_pid):
        self.master_pid = master_pid

    def workers(self):
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == self.master_pid:
                    found.append(int(stat.parent.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
        return found


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--no-warmup", action="store_true", help="start gunicorn without the master's warm-up")
    parser.add_argument("--starts", type=int, default=3, help="fresh servers to start (figures: their median)")
    args = parser.parse_args()
    port = free_port()
    env = {
        **os.environ, "DATABASE_URL": args.database_url or "", "SECRET_KEY": SECRET, "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "False", "SECURE_HSTS_SECONDS": "0", "STATIC_MANIFEST": "False",
        "SEARCH_RATE_LIMIT": "0", "CACHE_URL": "", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1", "GUNICORN_WARMUP": "False" if args.no_warmup else "True",
    }
    env.pop("YOROZU_ALLOW_INSECURE_KEY", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    # Figures per page: [first, second, tenth request] per start; memory per start.
    times = {page: [] for page in PAGES}
    memory = []
    for _ in range(args.starts):
        server = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null", "yorozu.wsgi"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            watcher = Workers(server.pid)
            for _ in range(240):  # the master loads (and warms) the app, then forks the worker
                if watcher.workers():
                    break
                time.sleep(0.25)
            time.sleep(1.0)  # the worker's own boot; the requests below are the first it serves
            for page in PAGES:
                runs = [timed_get(base + page) for _ in range(10)]
                times[page].append((runs[0], runs[1], runs[9]))
            memory.extend(worker_memory(watcher))
        finally:
            server.terminate()
            server.wait(30)
    print(f"gunicorn, 1 worker, {'without' if args.no_warmup else 'with'} the master's warm-up; "
          f"median of {args.starts} fresh starts (ms)")
    print(f"{'page':42} {'1st':>8} {'2nd':>8} {'10th':>8}")
    for page, runs in times.items():
        first, second, tenth = (sorted(r[i] for r in runs)[len(runs) // 2] for i in range(3))
        print(f"{page:42} {first:8.1f} {second:8.1f} {tenth:8.1f}")
    if memory:
        pss, private = zip(*memory)
        print(f"worker memory after these requests: {sum(pss) / len(pss) / 1024:.0f} MB (Pss), "
              f"{sum(private) / len(private) / 1024:.0f} MB of it its own (Private_Dirty)")


if __name__ == "__main__":
    main()

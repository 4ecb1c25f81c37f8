"""Load: throughput and p50/p99 latency of the most-used pages under concurrent load, served by
gunicorn (deploy/gunicorn.conf.py) on this machine, next to a "hello" view of the same app as the
reference for what the stack alone can do (prints figures; not a test).

    .venv/bin/python bench/load.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench
    .venv/bin/python bench/load.py --database-url sqlite:////tmp/bench/bench.sqlite3

Needs `wrk` (Debian package wrk) as the load generator. Migrates the database and, with fewer
experts than --experts, fills it with `manage.py seed_scale` (national scale by default).
Target: each page at least 40 % of the hello view's throughput.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-load-secret-key-" + "x" * 40


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url, seconds, connections, threads, cookie=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return rps, p50, p99, int(bad.group(1)) if bad else 0, errors.group(0) if errors else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--experts", type=int, default=20000)
    parser.add_argument("--companies", type=int, default=100000)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {
        **os.environ, "DATABASE_URL": args.database_url or "", "SECRET_KEY": SECRET, "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "False", "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "60", "STATIC_MANIFEST": "False", "SEARCH_RATE_LIMIT": "0",
    }
    env.pop("YOROZU_ALLOW_INSECURE_KEY", None)
    os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL" or v})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from companies.models import Membership
    from directory.models import ExpertProfile

    call_command("migrate", verbosity=0, skip_checks=True)
    have = ExpertProfile.objects.count()
    if have < args.experts:
        print(f"seeding: {have} experts < {args.experts}")
        call_command("seed_scale", companies=args.companies, experts=args.experts - have,
                     organisations=args.organisations, seed=1, skip_checks=True)
    expert = ExpertProfile.objects.filter(status="approved").order_by("pk")[100]
    member = Membership.objects.select_related("user", "company").order_by("pk").first()
    session = SessionStore()
    session[SESSION_KEY] = str(member.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
    session.create()
    cookie = f"sessionid={session.session_key}"
    print(f"database: {connection.vendor}, {ExpertProfile.objects.count()} experts; "
          f"gunicorn workers {args.workers}; wrk {args.connections} connections x {args.seconds} s per page")

    pages = [
        ("hello (reference)", "/hello", None),
        ("expert search: 集客", "/experts/?q=%E9%9B%86%E5%AE%A2", None),
        ("expert search: area, by rating", f"/experts/?prefecture={expert.base_prefecture_id}&sort=rating", None),
        ("expert page", f"/experts/{expert.pk}/", None),
        ("organisation search: 東京都", "/organisations/?prefecture=13", None),
        ("SME: my dispatch cases", "/dispatch/", cookie),
        ("SME: wallet", "/dispatch/wallet/", cookie),
    ]
    port = free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.workers),
                  "GUNICORN_THREADS": "1"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null", "yorozu.wsgi"],
                              cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/hello", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        results = []
        for label, path, page_cookie in pages:
            request = urllib.request.Request(base + path, headers={"Cookie": page_cookie} if page_cookie else {})
            status = urllib.request.urlopen(request, timeout=30).status  # warm-up, and proof the page answers 200
            assert status == 200, (path, status)
            run_wrk(base + path, 2, args.connections, 2, page_cookie)  # warm every worker
            results.append((label, path, *run_wrk(base + path, args.seconds, args.connections, 2, page_cookie)))
    finally:
        server.terminate()
        server.wait(30)
    reference = results[0][2]
    print(f"\n{'page':30} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs hello':>9}  non-2xx")
    for label, path, rps, p50, p99, bad, errors in results:
        print(f"{label:30} {rps:8.1f} {p50:8.1f} {p99:8.1f} {rps / reference:8.0%}  {bad} {errors}")
    print(f"\ntarget: every page >= 40% of hello's throughput; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

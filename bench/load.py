"""Load: throughput and p50/p99 latency of the most-used pages under concurrent load, served by
gunicorn (deploy/gunicorn.conf.py) on this machine, next to a "hello" view of the same app as the
reference for what the stack alone can do (prints figures; not a test).

    .venv/bin/python bench/load.py --database-url postgres://postgres:postgres@127.0.0.1:5432/yorozu_bench
    .venv/bin/python bench/load.py --database-url sqlite:////tmp/bench/bench.sqlite3

Needs `wrk` (Debian package wrk) as the load generator. Migrates the database and, with fewer
experts than --experts, fills it with `manage.py seed_scale` (national scale by default); the SME whose
pages are measured gets a realistic handful of dispatch cases.
Target: each page at least 40 % of the hello view's throughput.

Anonymous public pages are kept briefly in the page cache (core/cache.py): their plain rows repeat one
URL (cache hits, as for a popular search), their "uncached" rows add a distinct parameter to every
request so each one is rendered. "hello, logged in" is the floor for logged-in pages: the session, user
and role lookups every logged-in request makes before its view runs.

"public pages, realistic mix" is what the page cache meets in anonymous traffic: URLs drawn from the
top page, searches by word and by area, the 20,000 expert pages and the organisation searches, each with
a few popular items and a long tail (mix_paths); some requests hit the cache, the rest are rendered.
Its hit rate is counted from the cache server's own statistics.

The machine may be shared: hello and each page take turns (--rounds), so a ratio compares runs that met
the same background load. Besides throughput, the CPU the app server (and PostgreSQL's backends) spent
per request is read from /proc: a ratio of CPU per request does not depend on what else runs.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database  # noqa: E402  (after the path: run as a script)
SECRET = "bench-load-secret-key-" + "x" * 40
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# Every request a URL of its own (a distinct `nocache` parameter per wrk thread and request): no page-cache hit.
UNIQUE_URLS = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  return wrk.format("GET", PATH .. SEP .. "nocache=" .. tid .. "-" .. counter)
end
"""


# A realistic mix of anonymous public traffic: each request takes the next of a list of URLs drawn
# beforehand (mix_paths), from a random starting point per wrk thread and run.
MIX_URLS = """
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local index = 0
function setup(thread)
  thread:set("start", math.random(1, #PATHS))
end
function init(args)
  index = start
end
function request()
  index = index % #PATHS + 1
  return wrk.format("GET", PATHS[index])
end
"""

# What people type into the expert search, most asked first (the draw favours the first ones).
MIX_WORDS = [
    "集客", "資金繰り", "補助金", "事業承継", "ホームページ", "販路開拓", "創業", "経営改善", "IT導入", "SNS",
    "人材育成", "採用", "事業計画", "原価管理", "価格転嫁", "インボイス", "DX", "EC", "海外展開", "新商品開発",
    "飲食店", "製造業", "小売", "観光", "農業", "建設業", "介護", "運送", "省エネ", "BCP",
    "労務", "就業規則", "知的財産", "ブランディング", "デザイン", "広告", "会計", "税務", "融資", "M&A",
]


def mix_paths(expert_ids, prefectures, count=50000, seed=7):
    """`count` URL paths of a day's anonymous traffic as we expect it: a quarter top pages, a third
    expert searches (by words, and by area and sort), a quarter expert pages and the rest organisation
    searches; within each kind a few items are asked for far more often than the long tail (Zipf)."""
    import random
    from urllib.parse import quote

    rng = random.Random(seed)
    experts = list(expert_ids)
    rng.shuffle(experts)  # who is popular does not follow the id order

    def zipf(items):
        return rng.choices(items, weights=[1 / (rank + 1) for rank in range(len(items))])[0]

    kinds = ["top", "words", "area", "expert", "organisations"]
    paths = []
    for kind in rng.choices(kinds, weights=[25, 20, 15, 25, 15], k=count):
        if kind == "top":
            paths.append("/")
        elif kind == "words":
            paths.append("/experts/?q=" + quote(zipf(MIX_WORDS)))
        elif kind == "area":
            sort = rng.choice(["", "&sort=rating", "&sort=activity"])
            paths.append(f"/experts/?prefecture={zipf(prefectures)}{sort}")
        elif kind == "expert":
            paths.append(f"/experts/{zipf(experts)}/")
        else:
            paths.append(f"/organisations/?prefecture={zipf(prefectures)}")
    return paths


def run_wrk(url, seconds, connections, threads, cookie=None, unique=False, paths=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    script = None
    if paths:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write("PATHS = {\n" + ",\n".join(f'"{p}"' for p in paths) + "\n}\n" + MIX_URLS)
        script.close()
        command[1:1] = ["-s", script.name]
    elif unique:
        path = "/" + url.split("/", 3)[3]
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f'PATH = "{path}"\nSEP = "{"&" if "?" in path else "?"}"\n' + UNIQUE_URLS)
        script.close()
        command[1:1] = ["-s", script.name]
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        if script:
            os.unlink(script.name)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1)),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def _stat(pid):
    """(utime+stime, cutime+cstime) of a process in seconds, or None once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK, (int(fields[13]) + int(fields[14])) / TICK


class CpuMeter:
    """CPU seconds used by the gunicorn master and workers and by the PostgreSQL backends serving this
    database (wrk, the load generator, is not counted)."""

    def __init__(self, master_pid, connection):
        self.master_pid = master_pid
        self.connection = connection

    def workers(self):
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
            if ppid == self.master_pid:
                workers.append(int(stat.parent.name))
        return workers

    def _backends(self):
        if self.connection.vendor != "postgresql":
            return []  # SQLite runs inside the workers
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return [row[0] for row in cursor.fetchall()]

    def sample(self):
        own, _children = _stat(self.master_pid)
        app = {pid: _stat(pid) for pid in self.workers()}
        db = {pid: _stat(pid) for pid in self._backends()}
        return own, {p: s[0] for p, s in app.items() if s}, {p: s[0] for p, s in db.items() if s}

    @staticmethod
    def spent(before, after):
        """(app, db) CPU seconds between two samples, per process that is alive at the end. A worker
        recycled in between (max_requests) loses its last part: an undercount, never a double count
        (an exited worker's time reaches the master's children time in one lump when it is reaped)."""
        app = after[0] - before[0] + sum(max(t - before[1].get(p, 0), 0) for p, t in after[1].items())
        db = sum(max(t - before[2].get(p, 0), 0) for p, t in after[2].items())
        return max(app, 0.0), db


def cache_misses(cache_url):
    """The cache server's count of lookups that found nothing (None without a cache server)."""
    if not cache_url:
        return None
    import redis

    return redis.Redis.from_url(cache_url).info("stats")["keyspace_misses"]


def measure(meter, *wrk_args, cache_url=None, **wrk_kwargs):
    before, misses = meter.sample(), cache_misses(cache_url)
    run = run_wrk(*wrk_args, **wrk_kwargs)
    app, db = CpuMeter.spent(before, meter.sample())
    run["cpu_ms"] = (app + db) * 1000 / max(run["requests"], 1)
    run["db_ms"] = db * 1000 / max(run["requests"], 1)
    if misses is not None:
        # A page request looks its page up once; anything else that misses only lowers this figure.
        run["hit_rate"] = max(0.0, 1 - (cache_misses(cache_url) - misses) / max(run["requests"], 1))
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.getenv("DATABASE_URL"))
    parser.add_argument("--experts", type=int, default=20000)
    parser.add_argument("--companies", type=int, default=100000)
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=12, help="per page, split over the rounds")
    parser.add_argument("--rounds", type=int, default=3,
                        help="hello and the page take turns this many times; the ratio compares adjacent runs")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", default="", help="measure only the pages whose label contains this text")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/9",
                        help="the shared cache, as in production (empty: per-process caches, nothing cached)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    args = parser.parse_args()
    ensure_database(args.database_url)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {
        **os.environ, "DATABASE_URL": args.database_url or "", "SECRET_KEY": SECRET, "DEBUG": "False",
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "False", "SECURE_HSTS_SECONDS": "0",
        "DB_CONN_MAX_AGE": "60", "STATIC_MANIFEST": "False", "SEARCH_RATE_LIMIT": "0",
        "CACHE_URL": args.cache_url,
    }
    env.pop("YOROZU_ALLOW_INSECURE_KEY", None)
    os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL" or v})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yorozu.settings")

    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # nothing from an earlier run (another database behind the same URLs) is served
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
    if connection.vendor == "postgresql":
        # A database in service is vacuumed by autovacuum; a freshly filled one not yet: without the
        # visibility map, index-only scans (the search's list of non-public experts) read the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    expert = ExpertProfile.objects.filter(status="approved").order_by("pk")[100]
    member = Membership.objects.select_related("user", "company").order_by("pk").first()
    give_cases(member, expert)
    session = SessionStore()
    session[SESSION_KEY] = str(member.user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
    session.create()
    cookie = f"sessionid={session.session_key}"
    print(f"database: {connection.vendor}, {ExpertProfile.objects.count()} experts; gunicorn workers {args.workers}; "
          f"wrk {args.connections} connections; per page {args.rounds} turns of {args.seconds // args.rounds} s with hello")

    public = [
        ("top page", "/"),
        ("expert search: 集客", "/experts/?q=%E9%9B%86%E5%AE%A2"),
        ("expert search: area, by rating", f"/experts/?prefecture={expert.base_prefecture_id}&sort=rating"),
        ("expert page", f"/experts/{expert.pk}/"),
        ("organisation search: 東京都", "/organisations/?prefecture=13"),
    ]
    pages = [("hello (reference)", "/hello", None, False), ("hello, logged in", "/hello", cookie, False)]
    pages += [(label, path, None, False) for label, path in public]
    pages += [(f"{label} (uncached)", path, None, True) for label, path in public]
    pages += [("SME: my dispatch cases", "/dispatch/", cookie, False), ("SME: wallet", "/dispatch/wallet/", cookie, False)]
    approved = ExpertProfile.objects.filter(status="approved").values_list("pk", flat=True)
    # Prefectures by how many organisations they have: more support, more traffic.
    from directory.models import Organisation
    from django.db.models import Count

    prefectures = list(Organisation.objects.values("prefecture_id").annotate(n=Count("pk")).order_by("-n", "prefecture_id")
                       .values_list("prefecture_id", flat=True))
    mix = mix_paths(approved, prefectures)
    pages.append(("public pages, realistic mix", "/", None, mix))
    port = free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.workers),
                  "GUNICORN_THREADS": "1"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null", "yorozu.wsgi"],
                              cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load_before = os.getloadavg()[0]
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/hello", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        meter = CpuMeter(server.pid, connection)
        results = []
        turn = max(1, args.seconds // args.rounds)
        for label, path, page_cookie, unique in [p for p in pages if args.only in p[0]]:
            request = urllib.request.Request(base + path, headers={"Cookie": page_cookie} if page_cookie else {})
            status = urllib.request.urlopen(request, timeout=30).status  # warm-up, and proof the page answers 200
            assert status == 200, (path, status)
            # unique: True (a URL of its own per request), or the list of URLs of a mix
            paths = unique if isinstance(unique, list) else None
            unique = unique is True
            run_wrk(base + path, 2, args.connections, 2, page_cookie, unique, paths)  # warm every worker
            hello_runs, page_runs = [], []
            for _ in range(args.rounds):
                hello_runs.append(measure(meter, base + "/hello", turn, args.connections, 2))
                page_runs.append(measure(meter, base + path, turn, args.connections, 2, page_cookie, unique, paths,
                                         cache_url=args.cache_url if paths else None))
            results.append((label, hello_runs, page_runs))
        memory = worker_memory(meter)
    finally:
        server.terminate()
        server.wait(30)
    report(results, args, load_before)
    if memory:
        pss, private = zip(*memory)
        print(f"app server memory after the run: {len(memory)} workers, each {sum(pss) / len(pss) / 1024:.0f} MB "
              f"(proportional share, /proc/PID/smaps_rollup Pss), {sum(private) / len(private) / 1024:.0f} MB of it "
              "its own (Private_Dirty)")


def worker_memory(meter):
    """(Pss, Private_Dirty) in kB of each gunicorn worker."""
    found = []
    for pid in meter.workers():
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        found.append((int(fields["Pss"].split()[0]), int(fields["Private_Dirty"].split()[0])))
    return found


def _mean(runs, key):
    return sum(r[key] for r in runs) / len(runs)


def report(results, args, load_before):
    print(f"\n{'page':41} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'hello':>6} {'vs hello':>8}"
          f" {'CPU ms/req':>10} {'(db)':>5} {'vs hello':>8}  non-2xx")
    for label, hello_runs, page_runs in results:
        rps, hello = _mean(page_runs, "rps"), _mean(hello_runs, "rps")
        cpu, hello_cpu = _mean(page_runs, "cpu_ms"), _mean(hello_runs, "cpu_ms")
        p50 = sorted(r["p50"] for r in page_runs)[len(page_runs) // 2]
        p99 = max(r["p99"] for r in page_runs)
        bad = sum(r["bad"] for r in page_runs)
        errors = "; ".join(r["errors"] for r in page_runs if r["errors"])
        print(f"{label:41} {rps:7.1f} {p50:7.1f} {p99:7.1f} {hello:6.0f} {rps / hello:8.0%}"
              f" {cpu:10.2f} {_mean(page_runs, 'db_ms'):5.2f} {hello_cpu / cpu:8.0%}  {bad} {errors}")
        if all("hit_rate" in r for r in page_runs):
            print(f"{'':41} page cache hits: at least {_mean(page_runs, 'hit_rate'):.0%} of the requests")
    print(f"\nreq/s: mean of {args.rounds} turns; p50: their median; p99: the worst turn's; hello: the hello turns "
          "taken in between. CPU ms/req: gunicorn (+ PostgreSQL backends, also shown alone) per request; its "
          "'vs hello' is hello's CPU per request over the page's, the share of hello's rate the CPUs could serve.")
    print(f"target: every page >= 40% of hello's throughput; load average {load_before:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} now, on {os.cpu_count()} CPUs")


def give_cases(member, expert):
    """A realistic handful of dispatch cases for the measured SME (this year and last), once: seed_scale
    makes companies, experts and organisations but no cases."""
    import datetime

    from django.utils import timezone

    from core.dates import fiscal_year
    from directory.models import Organisation
    from dispatch.models import DispatchCase, State
    from reference.models import Specialty

    if DispatchCase.objects.filter(company=member.company).exists():
        return
    organisation = Organisation.objects.filter(prefecture_id=member.company.prefecture_id).order_by("pk").first()
    organisation = organisation or Organisation.objects.order_by("pk").first()
    topics = list(Specialty.objects.order_by("sort_order", "pk")[:3])
    now = timezone.now()
    cases = []
    for days, state in [(-300, State.PAID), (-40, State.PAID), (-20, State.REPORTED), (-5, State.DONE),
                        (7, State.SCHEDULED), (14, State.APPLIED), (21, State.CANCELLED)]:
        starts = (now + datetime.timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        cases.append(DispatchCase(
            organisation=organisation, company=member.company, expert=expert, topic=topics[len(cases) % len(topics)],
            request_text="新商品の販路開拓とホームページでの集客について相談したい。", place=member.company.address or "本社",
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), fiscal_year=fiscal_year(starts.date()),
            state=state, step_started_at=now - datetime.timedelta(days=1), created_by=member.user,
        ))
    DispatchCase.objects.bulk_create(cases)


if __name__ == "__main__":
    main()

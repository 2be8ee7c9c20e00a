"""`make bench`: the main pages through a real server under concurrent load, on the demo and on the scale data.

For each data set (the demo: `BENCH_DATABASE_URL`; the scale data of `manage.py seed_scale`:
`BENCH_SCALE_DATABASE_URL`; each PostgreSQL database is created, migrated and seeded on first use and reused after)
this starts gunicorn with 4 workers in production mode (the quick start's settings: no debug, whitenoise), logs in
through the login form as each role it needs, and drives each page with `--concurrency` threads on keep-alive
connections for `--seconds`: requests per second, median and p95 in ms, and the ratio of each page's throughput to
the trivial page's (the login page) and a plain list page's (`/people/`) measured in the same run. Then, in separate passes, each page's query count
and peak Python memory (tracemalloc, in-process through Django's test client, since tracing slows timing several
times over) and the gunicorn workers' resident memory after the load. Prints one JSON document.

    python scripts/bench.py                 # demo and scale (seeding the scale data takes ~5 min the first time)
    python scripts/bench.py --only demo     # or --only scale
    python scripts/bench.py --documents     # also scripts/bench_documents.py's figures (PDF engine)
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "Renda@2025"  # noqa: S105 - the published demo password (committee.demo)
DATABASES = {
    "demo": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/committee_bench"),
    "scale": os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/committee_bench_scale"),
}
# Who looks at what, per data set: the demo's accounts, and at scale a city of 25 streets and one of its streets;
# "province" holds the city role in every municipality (at scale 504 streets: PROVINCE, made by prepare()).
ACCOUNTS = {
    "demo": {
        "city": "xiangxiang_city",
        "province": "xiangxiang_city",
        "director": "wangchunmen_director",
        "staff": "wangchunmen_staff",
        "deputy": "wangchunmen_deputy",
        "unit": "wangchunmen_handling_unit",
    },
    "scale": {
        "city": "scale_m01_city",
        "province": "scale_province",
        "director": "scale001_director",
        "staff": "scale001_staff",
        "deputy": "scale001_deputy001",
        "unit": "scale001_handling_unit",
    },
}
TRIVIAL = ("anonymous", "/accounts/login/")
PLAIN_LIST = ("city", "/people/")  # a plain paginated list: what issue 14 compares every page with
PAGES = [
    TRIVIAL,
    ("anonymous", "/healthz"),
    ("city", "/"),
    ("city", "/dashboard/"),
    ("city", "/audit/"),
    ("city", "/audit/?older=deep"),  # a page deep in the log: the cursor of an entry half-way down
    ("city", "/opinions/"),
    ("city", "/opinions/figures/"),
    ("city", "/meetings/"),
    ("city", "/people/"),
    ("province", "/"),
    ("province", "/dashboard/"),
    ("director", "/audit/"),
    ("staff", "/"),
    ("staff", "/opinions/"),
    ("staff", "/meetings/"),
    ("staff", "/handling-units/"),
    ("staff", "/notices/"),
    ("deputy", "/"),
    ("deputy", "/notices/"),
    ("unit", "/"),
    ("unit", "/opinions/inbox/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(DATABASES))
    parser.add_argument("--seconds", type=float, default=4.0, help="of load per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--documents", action="store_true", help="also the PDF engine's figures")
    parser.add_argument("--probe", help=argparse.SUPPRESS)  # internal: the in-process pass on one data set
    options = parser.parse_args()
    if options.probe:
        print(json.dumps(probe(options.probe, documents=options.documents), ensure_ascii=False))
        return
    var_dir = Path(tempfile.mkdtemp(prefix="committee-bench-"))
    figures = {"concurrency": options.concurrency, "seconds_per_page": options.seconds, "data": {}}
    for name in [options.only] if options.only else list(DATABASES):
        env = server_env(DATABASES[name], var_dir)
        started = time.perf_counter()
        prepare(name, env)
        measured = {"setup_seconds": round(time.perf_counter() - started, 1)}
        in_process = json.loads(
            manage_output([str(Path(__file__)), "--probe", name, *(["--documents"] if options.documents else [])], env)
        )
        measured |= {"rows": in_process["rows"]}
        measured |= load(name, env, in_process, options)
        if options.documents and "documents" in in_process:
            measured["documents"] = in_process["documents"]
        figures["data"][name] = measured
    if len(figures["data"]) == 2:
        demo, scale = figures["data"]["demo"]["pages"], figures["data"]["scale"]["pages"]
        figures["same_query_count"] = {page: demo[page]["queries"] == scale[page]["queries"] for page in demo}
        figures["slower_than_3x_trivial_at_scale"] = [
            page for page, row in scale.items() if row["ratio_to_trivial"] < 1 / 3
        ]
        figures["slower_than_3x_plain_list_at_scale"] = [
            page for page, row in scale.items() if row["ratio_to_plain_list"] < 1 / 3
        ]
        # Requests per second at scale over those on the demo: 1 is flat, whatever the data.
        figures["scale_over_demo_throughput"] = {
            page: round(scale[page]["requests_per_second"] / demo[page]["requests_per_second"], 2) for page in demo
        }
    print(json.dumps(figures, ensure_ascii=False, indent=2))


# --- Data sets -------------------------------------------------------------------------------------------------
def server_env(database_url: str, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "MEDIA_ROOT"}
    }
    return env | {
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "QUICKSTART": "true",  # production settings over plain HTTP on this machine
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "AXES_FAILURE_LIMIT": "1000",
    }


def prepare(name: str, env: dict) -> None:
    """Create, migrate and seed the data set's database unless it is there already."""
    url = urlsplit(env["DATABASE_URL"])
    import psycopg

    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url.path[1:]]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{url.path[1:]}"')
    manage(["migrate", "--no-input", "-v", "0"], env)
    seeded = manage_output(
        [
            "shell",
            "--no-imports",
            "-c",
            "from committee.models import Street, Municipality as M; print("
            "Street.objects.exists(), M.objects.filter(name='规模测试市01').exists())",
        ],
        env,
    ).split()[-2:]
    if seeded[0] != "True":
        manage(["seed_demo"], env)
    if name == "scale" and seeded[1] != "True":
        manage(["seed_scale"], env)
    if name == "scale":
        manage(["shell", "--no-imports", "-c", PROVINCE], env)
    if not (Path(env["VAR_DIR"]) / "static" / "staticfiles.json").exists():
        manage(["collectstatic", "--no-input", "-v", "0"], env)


# The account that sees every street (idempotent): the 500-street dashboard and home of issue 14.
PROVINCE = f"""
from committee.models import Membership, Municipality, User
user, created = User.objects.get_or_create(username="scale_province", defaults={{"full_name": "规模测试省"}})
if created:
    user.set_password("{DEMO_PASSWORD}")
    user.save()
for municipality in Municipality.objects.exclude(pk__in=user.memberships.values("municipality")):
    Membership.objects.create(user=user, municipality=municipality, role="city", started_on="2020-01-01")
"""


def manage(arguments: list[str], env: dict) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py
        [PYTHON, str(ROOT / "manage.py"), *arguments], env=env, cwd=ROOT, check=True, stdout=sys.stderr
    )


def manage_output(arguments: list[str], env: dict) -> str:
    command = [PYTHON, *arguments] if arguments[0].endswith(".py") else [PYTHON, str(ROOT / "manage.py"), *arguments]
    output = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    return output.stdout.strip()


# --- The in-process pass: query counts and Python memory -------------------------------------------------------
def probe(name: str, *, documents: bool) -> dict:
    """Query count and tracemalloc peak of each page through Django's test client (the same code the server
    runs), the deep audit cursor for the load pass, and the data set's row counts."""
    import tracemalloc

    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from committee.models import AuditEntry, User

    result = {"pages": {}, "rows": rows()}
    accounts = ACCOUNTS[name]
    city = User.objects.get(username=accounts["city"])
    deep = AuditEntry.objects.filter(street__municipality__in=city.memberships.values("municipality")).order_by(
        "-timestamp", "-pk"
    )[AuditEntry.objects.filter(street__municipality__in=city.memberships.values("municipality")).count() // 2]
    result["deep_cursor"] = f"{deep.timestamp.isoformat()}_{deep.pk}"
    for who, path in PAGES:
        path = path.replace("older=deep", urlencode({"older": result["deep_cursor"]}))
        client = Client(HTTP_HOST="127.0.0.1")
        if who != "anonymous":
            client.force_login(
                User.objects.get(username=accounts[who]), backend="committee.auth.MobileOrUsernameBackend"
            )
        client.get(path)  # warm up the caches
        queries = []

        def count(execute, sql, *args, queries=queries):
            queries.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        tracemalloc.start()
        client.get(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result["pages"][page_key(who, path)] = {
            "status": status,
            "queries": len(queries),
            "peak_python_kib": peak // 1024,
        }
    if documents:
        import bench_documents

        result["documents"] = bench_documents.measure()
    return result


def rows() -> dict:
    from django.apps import apps

    counted = [
        "committee.User",
        "committee.Street",
        "supervision.Opinion",
        "meetings.Meeting",
        "meetings.Participant",
        "notices.Notice",
        "committee.AuditEntry",
    ]
    figures = {label.split(".")[1]: apps.get_model(label).objects.count() for label in counted}
    return figures | {"total": sum(figures.values())}


def page_key(who: str, path: str) -> str:
    return f"{who} {re.sub(r'older=[^&]+', 'older=…', path)}"


# --- The load pass: a real server --------------------------------------------------------------------------------
def load(name: str, env: dict, in_process: dict, options) -> dict:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=sys.stderr,
        stderr=sys.stderr,
        start_new_session=True,
    )
    try:
        wait_until_up(port)
        cookies = {who: log_in(port, username) for who, username in ACCOUNTS[name].items()}
        cookies["anonymous"] = ""
        pages = {}
        for who, path in PAGES:
            path = path.replace("older=deep", urlencode({"older": in_process["deep_cursor"]}))
            key = page_key(who, path)
            pages[key] = hammer(port, path, cookies[who], options.seconds, options.concurrency)
            pages[key] |= {
                "queries": in_process["pages"][key]["queries"],
                "peak_python_kib": in_process["pages"][key]["peak_python_kib"],
            }
        trivial = pages[page_key(*TRIVIAL)]["requests_per_second"]
        plain = pages[page_key(*PLAIN_LIST)]["requests_per_second"]
        for row in pages.values():
            row["ratio_to_trivial"] = round(row["requests_per_second"] / trivial, 2) if trivial else None
            row["ratio_to_plain_list"] = round(row["requests_per_second"] / plain, 2) if plain else None
        return {"pages": pages, "worker_rss_mib": worker_rss_mib(server.pid)}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return probe_socket.getsockname()[1]


def wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/healthz", "")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def request(connection, path: str, cookie: str, method: str = "GET", body: str | None = None, headers=None):
    connection.request(method, path, body=body, headers={"Host": "127.0.0.1", "Cookie": cookie, **(headers or {})})
    response = connection.getresponse()
    return response.status, response.getheaders(), response.read()


def log_in(port: int, username: str) -> str:
    """Through the login form, as a person would: the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    _, headers, body = request(connection, "/accounts/login/", "")
    csrf_cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("csrftoken="))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD})
    status, headers, _ = request(
        connection, "/accounts/login/", csrf_cookie, "POST", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    session = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("sessionid=")]
    if status != 302 or not session:
        raise SystemExit(f"could not log in as {username} (HTTP {status})")
    return f"{csrf_cookie}; {session[0]}"


def hammer(port: int, path: str, cookie: str, seconds: float, concurrency: int) -> dict:
    """`concurrency` threads, each on its own keep-alive connection, for `seconds`."""
    timings, errors, lock = [], [], threading.Lock()
    request(http.client.HTTPConnection("127.0.0.1", port, timeout=60), path, cookie)  # warm up each page once
    stop_at = time.perf_counter() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            status, _, _ = request(connection, path, cookie)
            mine.append((time.perf_counter() - began) * 1000)
            if status != 200:
                errors.append(status)
        with lock:
            timings.extend(mine)

    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.perf_counter() - began
    timings.sort()
    return {
        "requests_per_second": round(len(timings) / elapsed, 1),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "errors": len(errors),
    }


def worker_rss_mib(master_pid: int) -> dict:
    rss = []
    for status_file in Path("/proc").glob("[0-9]*/status"):
        try:
            status = status_file.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", status, re.MULTILINE):
            rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024)
    return {"max": max(rss, default=0), "each": sorted(rss)}


if __name__ == "__main__":
    main()

"""`make bench`: on a fresh database holding the demo, time the main pages, the dashboard at 1x and 10x data and
the document engine (scripts/bench_documents.py); print the figures as JSON.

Runs against DATABASE_URL (a throw-away SQLite file under a temporary folder when unset)."""

import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="committee-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import bench_documents  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from committee.funding.models import Expenditure  # noqa: E402
from committee.models import Membership, User  # noqa: E402

ROUNDS = 30
PAGES = [("xiangxiang_city", "/"), ("wangchunmen_staff", "/people/"), ("xiangxiang_city", "/audit/")]


def main():
    started = time.perf_counter()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    figures = {"setup_seconds": round(time.perf_counter() - started, 2), "pages": {}}
    for username, path in PAGES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
        client.get(path)  # warm up
        timings = []
        tracemalloc.start()
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                status = client.get(path).status_code
                timings.append((time.perf_counter() - began) * 1000)
            if status != 200:
                raise SystemExit(f"{username} {path}: HTTP {status}")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        figures["pages"][f"{username} {path}"] = {
            "median_ms": round(statistics.median(timings), 2),
            "p90_ms": round(sorted(timings)[int(ROUNDS * 0.9) - 1], 2),
            "queries": len(queries),
            "peak_python_memory_kib": peak // 1024,
        }
    figures["dashboard"] = {"1x": measure_dashboard()}
    multiply_records(9)
    figures["dashboard"]["10x"] = measure_dashboard()
    figures["dashboard"]["same_query_count"] = (
        figures["dashboard"]["1x"]["queries"] == figures["dashboard"]["10x"]["queries"]
    )
    figures["documents"] = bench_documents.measure()
    figures["database"] = connection.vendor
    print(json.dumps(figures, ensure_ascii=False, indent=2))


def measure_dashboard() -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="xiangxiang_city"), backend="committee.auth.MobileOrUsernameBackend")
    client.get("/dashboard/")
    timings = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            client.get("/dashboard/?year=2026&quarter=4")
            timings.append((time.perf_counter() - began) * 1000)
    return {
        "median_ms": round(statistics.median(timings), 2),
        "queries": len(queries),
        "memberships": Membership.objects.count(),
        "expenditures": Expenditure.objects.count(),
    }


def multiply_records(times: int) -> None:
    """Add `times` copies of the records the rules read (memberships, expenditures), for the 10× figure."""
    expenditures = list(Expenditure.objects.all())
    memberships = list(Membership.objects.exclude(street=None).select_related("user"))
    for copy in range(times):
        Expenditure.objects.bulk_create(
            Expenditure(
                street_id=e.street_id,
                budget_line_id=e.budget_line_id,
                spent_on=e.spent_on,
                amount=e.amount,
                purpose=e.purpose,
                voucher_no=f"{e.voucher_no}-x{copy}",
                recorded_by_id=e.recorded_by_id,
            )
            for e in expenditures
        )
        users = User.objects.bulk_create(
            User(username=f"{m.user.username}-x{copy}-{m.pk}", full_name=m.user.full_name) for m in memberships
        )
        Membership.objects.bulk_create(
            Membership(user=u, street_id=m.street_id, role=m.role, full_time=m.full_time, started_on=m.started_on)
            for u, m in zip(users, memberships, strict=True)
        )


if __name__ == "__main__":
    main()

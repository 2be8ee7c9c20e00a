"""`make bench`: time the main pages on a fresh database holding the demo, print the figures as JSON.

Runs against DATABASE_URL (a throw-away SQLite file under a temporary folder when unset)."""

import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="committee-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from committee.models import User  # noqa: E402

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
    figures["database"] = connection.vendor
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

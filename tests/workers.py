"""pytest-xdist (`-n`): what each worker process of a test run keeps to itself.

PostgreSQL needs nothing here: pytest-django gives each worker its own test database (`test_..._gw0`, `_gw1`, ...),
where the session seeds the demo once. Redis and the media folder are set apart below, before any test runs:
worker gwN uses Redis database (REDIS_URL's - N) mod 16 and MEDIA_ROOT/gwN, so workers share no cache entry,
rate-limit counter or queued Celery task, and a test emptying its Redis database (flushdb) empties only its own.
The environment carries both to the processes a test starts (a Celery worker)."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import override_settings


def redis_url_of_worker(url: str, worker: str) -> str:
    parts = urlsplit(url)
    database = (int(parts.path.strip("/") or 0) - int(worker.removeprefix("gw"))) % 16
    return parts._replace(path=f"/{database}").geturl()


def set_apart(worker: str | None) -> None:
    if not worker:
        return  # a run in one process
    from config.celery import app as celery_app

    changed = {"MEDIA_ROOT": str(Path(settings.MEDIA_ROOT) / worker)}
    if settings.REDIS_URL:
        url = redis_url_of_worker(settings.REDIS_URL, worker)
        cache = {**settings.CACHES["default"], "LOCATION": url}
        changed |= {"REDIS_URL": url, "CELERY_BROKER_URL": url, "CACHES": {"default": cache}}
        celery_app.conf.broker_url = url
    os.environ.update({name: changed[name] for name in ("MEDIA_ROOT", "REDIS_URL") if name in changed})
    override_settings(**changed).enable()

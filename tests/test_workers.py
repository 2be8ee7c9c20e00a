"""Under pytest-xdist each worker keeps its Redis database and media folder to itself (tests/workers.py)."""

import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from tests.workers import redis_url_of_worker


@pytest.mark.parametrize(
    ("worker", "expected"),
    [("gw0", "redis://127.0.0.1:6379/15"), ("gw1", "redis://127.0.0.1:6379/14"), ("gw15", "redis://127.0.0.1:6379/0")],
)
def test_worker_n_uses_the_redis_database_n_below_the_runs(worker, expected):
    assert redis_url_of_worker("redis://127.0.0.1:6379/15", worker) == expected


def test_the_first_databases_wrap_around_and_a_password_stays():
    assert redis_url_of_worker("redis://:secret@127.0.0.1:6379/1", "gw3") == "redis://:secret@127.0.0.1:6379/14"
    assert redis_url_of_worker("redis://127.0.0.1:6379", "gw1") == "redis://127.0.0.1:6379/15"


def test_the_cache_the_broker_and_started_processes_all_use_this_workers_redis_and_media(worker_id):
    url = settings.REDIS_URL
    assert url and url == os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL == celery_app.conf.broker_url
    assert settings.CACHES["default"]["LOCATION"] == url
    assert str(settings.MEDIA_ROOT) == os.environ["MEDIA_ROOT"]
    if worker_id != "master":
        assert os.path.basename(settings.MEDIA_ROOT) == worker_id

    cache.set("test-workers-probe", worker_id, timeout=30)
    keys = redis.Redis.from_url(url).keys("*test-workers-probe")
    assert len(keys) == 1
    cache.delete("test-workers-probe")

"""/healthz: the database and the Celery broker, cheap enough to probe often (JSON: {check: "OK" or the error}).

A plain synchronous view, so the probe runs on the request's own thread and reuses what that thread already holds:
Django's persistent database connection (CONN_MAX_AGE, health-checked at each request) and, for Redis, one
module-level client with its connection pool. (django-health-check's own view is asynchronous and runs each check on
a new thread: a new database and a new broker connection per probe.) The filesystem transport of the quick start
is checked through kombu, which opens no network connection. The checks are django-health-check's classes."""

import dataclasses
import datetime
import functools

import redis
from django.db import Error as DatabaseError
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import HealthCheckException, ServiceUnavailable

from config.celery import app as celery_app


@dataclasses.dataclass
class Database(checks.Database):
    """SELECT 1 over the request's connection (opened once per CONN_MAX_AGE, not per probe)."""

    def run(self):
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                result = cursor.fetchone()
        except DatabaseError as error:
            raise ServiceUnavailable(str(error).rsplit(":")[0]) from error
        if result != (1,):
            raise ServiceUnavailable("database answered SELECT 1 wrongly")


@functools.cache
def redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per broker URL for the life of the process."""
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis, or the filesystem queue of the quick start)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        url = celery_app.conf.broker_url
        try:
            if url.startswith(("redis://", "rediss://", "unix://")):
                redis_client(url).ping()
            else:
                with celery_app.connection_for_write() as connection:
                    connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # redis and kombu raise transport-specific errors
            raise ServiceUnavailable(f"broker unavailable: {type(error).__name__}") from error


CHECKS = [Database(), Broker()]


def health_view(request):
    results = {}
    for check in CHECKS:
        try:
            check.run()
        except HealthCheckException as error:
            results[repr(check)] = str(error)
        else:
            results[repr(check)] = "OK"
    ok = all(value == "OK" for value in results.values())
    response = JsonResponse(results, status=200 if ok else 500)
    add_never_cache_headers(response)
    return response

import json

import redis
from django.db import connection
from django.urls import reverse

from committee import health
from config.celery import app as celery_app


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert json.loads(response.content) == {"Database(alias='default')": "OK", "Broker()": "OK"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_the_broker_is_down(client, db, monkeypatch):
    # A loopback port nothing listens on: the real client gets a real connection refusal.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["Broker()"] == "Unavailable: broker unavailable: ConnectionError"
    assert body["Database(alias='default')"] == "OK"


def test_probes_reuse_the_database_connection_and_one_redis_connection(client, db, monkeypatch):
    health.redis_client.cache_clear()
    opened = {"database": 0, "redis": 0}
    connect_database, connect_redis = connection.connect, redis.connection.Connection._connect

    def count_database():
        opened["database"] += 1
        connect_database()

    def count_redis(self):
        opened["redis"] += 1
        return connect_redis(self)

    monkeypatch.setattr(connection, "connect", count_database)
    monkeypatch.setattr(redis.connection.Connection, "_connect", count_redis)  # opens the socket
    for _ in range(5):
        assert client.get(reverse("healthz")).status_code == 200
    assert opened == {"database": 0, "redis": 1}

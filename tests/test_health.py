import json

from django.urls import reverse

from config.celery import app as celery_app


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(json.loads(response.content).values()) == {"OK"}
    assert len(json.loads(response.content)) == 2


def test_healthz_fails_when_the_broker_is_down(client, db, monkeypatch):
    # A loopback port nothing listens on: the real client gets a real connection refusal.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["Broker()"] == "Unavailable: broker unavailable: OperationalError"
    assert body["Database(alias='default')"] == "OK"

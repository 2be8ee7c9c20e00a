"""docker-compose.yml cannot run here (no Docker engine); it must stay valid and complete."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_every_production_service():
    services = compose()["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_compose_commands_run_the_right_processes():
    services = compose()["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]


def test_app_services_run_in_production_mode_against_postgres_and_redis_with_media_on_a_volume():
    document = compose()
    for name in ("web", "worker", "beat", "migrate"):
        service = document["services"][name]
        environment = service["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert "media:/app/var/media" in service["volumes"]
    assert "media" in document["volumes"]


def test_dockerfile_collects_static_files_and_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "collectstatic" in dockerfile
    assert "libharfbuzz-subset0" in dockerfile
    assert '"gunicorn"' in dockerfile

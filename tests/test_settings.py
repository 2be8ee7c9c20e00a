"""Start-up refuses a wrong configuration with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(**environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DEBUG": "true", "DATABASE_URL": "foo://nowhere/db"}, "DATABASE_URL='foo://nowhere/db' cannot be used"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres://u@h:notaport/db"},
            "DATABASE_URL='postgres://u@h:notaport/db' cannot be used",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/db"}, "only postgres:// (production) and sqlite://"),
        ({"DEBUG": "false"}, "SECRET_KEY is required"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "true", "REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL='127.0.0.1:6379' must start with redis://"),
        ({"DEBUG": "true", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT='twenty-five' is not a whole number"),
    ],
)
def test_wrong_configuration_stops_start_up_with_a_clear_message(environment, message):
    result = start(**environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_start_with_a_secret_key(tmp_path):
    result = start(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="renda.example.gov.cn", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_chinese_locale_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_the_servers_default_to_production_settings():
    """gunicorn and Celery load config.settings directly: without DEBUG they refuse to run without a secret key."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_manage_py_defaults_to_development_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    env["VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr

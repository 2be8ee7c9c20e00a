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
        (
            {"DEBUG": "false", "QUICKSTART": "true", "ALLOWED_HOSTS": "renda.example.gov.cn"},
            "QUICKSTART=true serves plain HTTP on this machine only",
        ),
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


# --- The quick start (`make run`): production error pages over plain HTTP on this machine ---------------------------
QUICKSTART_PAGE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1")
page = client.get("/no-such-page/")
print(page.status_code, settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE)
print(page.content.decode())
"""
STYLESHEET = """
import django, re, sys
django.setup()
from django.test import Client
client = Client(SERVER_NAME="127.0.0.1")
path = re.search(r'href="(/static/css/app\\.[0-9a-f]+\\.css)"', client.get("/accounts/login/").content.decode())[1]
print(path, client.get(path).status_code)
"""


def quickstart_environment(tmp_path) -> dict[str, str]:
    """What `make run` runs with: DEBUG=false QUICKSTART=true, SQLite and the secret key under VAR_DIR."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return env | {
        "DEBUG": "false",
        "QUICKSTART": "true",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def quickstart(tmp_path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - the test's own commands
        [sys.executable, *args],
        cwd=ROOT,
        env=quickstart_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_a_wrong_address_in_the_quick_start_shows_the_chinese_404_page(tmp_path):
    quickstart(tmp_path, "manage.py", "collectstatic", "--no-input", "-v", "0")
    status, page = quickstart(tmp_path, "-c", QUICKSTART_PAGE).stdout.split("\n", 1)
    assert status == "404 False False False"  # no debug page, no redirect to HTTPS, cookies over plain HTTP
    assert "页面不存在" in page and "返回首页" in page
    assert "URLconf" not in page and "Page not found" not in page
    # Static files come from whitenoise, under their hashed names.
    path, served = quickstart(tmp_path, "-c", STYLESHEET).stdout.split()
    assert served == "200", path


def test_the_quick_start_generates_its_secret_key_once(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    first = quickstart(tmp_path, "-c", code).stdout.strip()
    assert quickstart(tmp_path, "-c", code).stdout.strip() == first
    key_file = tmp_path / "secret-key"
    assert key_file.read_text() == first and len(first) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list(tmp_path.glob(".secret-key.*")) == []


WRITER = """
import django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS t (n integer)")
for n in range(200):
    with transaction.atomic(), connection.cursor() as cursor:  # reads, then writes: as a render task does
        cursor.execute("SELECT count(*) FROM t")
        cursor.execute("INSERT INTO t VALUES (%s)", [n])
"""


def test_the_quick_starts_processes_write_to_sqlite_together(tmp_path):
    """The web server and the worker's processes share one SQLite file: none fails with "database is locked"."""
    writers = [
        subprocess.Popen(  # noqa: S603 - the test's own command
            [sys.executable, "-c", WRITER],
            cwd=ROOT,
            env=quickstart_environment(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors[-500:]

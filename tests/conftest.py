import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import TransactionTestCase, override_settings

from committee import demo
from committee.models import Membership, Street, User
from committee.roles import Role
from config.celery import app as celery_app
from tests import snapshot


def _own_redis_and_media_per_xdist_worker():
    """Under pytest-xdist (`-n`), worker gwN uses Redis database (REDIS_URL's - N) mod 16 and MEDIA_ROOT/gwN, so
    workers share no cache entry, rate-limit counter or queued task, and a test emptying its Redis database
    (flushdb) empties only its own. Subprocesses (a Celery worker) inherit both through the environment.
    PostgreSQL needs nothing: pytest-django gives each worker its own test database (test_..._gwN)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    index = int(worker.removeprefix("gw"))
    changed = {"MEDIA_ROOT": str(Path(settings.MEDIA_ROOT) / worker)}
    if settings.REDIS_URL:
        url = urlsplit(settings.REDIS_URL)
        database = (int(url.path.strip("/") or 0) - index) % 16
        redis_url = url._replace(path=f"/{database}").geturl()
        changed |= {"REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url}
        changed["CACHES"] = {"default": {**settings.CACHES["default"], "LOCATION": redis_url}}
        celery_app.conf.broker_url = redis_url
    os.environ.update({name: changed[name] for name in ("MEDIA_ROOT", "REDIS_URL") if name in changed})
    override_settings(**changed).enable()


_own_redis_and_media_per_xdist_worker()

# Tests hash passwords with MD5: the production hasher costs ~0.3 s per password, which is its job.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo once into the test database (once per xdist worker); each test runs in a transaction rolled
    back after it. A transactional test (live server, Celery worker) commits, so instead of Django's flush it ends
    by putting the seeded snapshot back (tests/snapshot.py): every test starts from the seeded demo. The fixture's
    value is that snapshot."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        demo.seed()
        seeded = snapshot.take()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", lambda test_case: seeded.restore())
        yield seeded


@pytest.fixture
def demo_data(db):
    """The demo of `seed_demo`: four streets, one account per role per street, the city account. Seeded once for
    the session; every test, transactional or not, finds it as seeded (see django_db_setup)."""


@pytest.fixture
def street(demo_data):
    return Street.objects.get(slug="wangchunmen")


@pytest.fixture
def other_street(demo_data):
    return Street.objects.get(slug="xinxianglu")


def account(slug: str, role: str) -> User:
    return User.objects.get(username=f"{slug}_{role}")


@pytest.fixture
def city_user(demo_data):
    return User.objects.get(username="xiangxiang_city")


@pytest.fixture
def staff_user(demo_data):
    return account("wangchunmen", Role.STAFF)


@pytest.fixture
def director(demo_data):
    return account("wangchunmen", Role.DIRECTOR)


@pytest.fixture
def deputy_membership(demo_data):
    """A 望春门 deputy without a login: the object staff act on."""
    return Membership.objects.get(user__username="wangchunmen_deputy100", role=Role.DEPUTY)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="committee.auth.MobileOrUsernameBackend")
        return client

    return _login


# --- Browser tests: Playwright driving Debian's Chromium -------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEST_OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, request):
    """A page the size of a 375-px-wide phone; a failing test leaves its screenshot in test-output/."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", device_scale_factor=2)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        TEST_OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=TEST_OUTPUT / f"{request.node.name}.png", full_page=True)
    context.close()

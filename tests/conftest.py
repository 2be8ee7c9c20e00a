import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from committee import demo, workdays
from committee.models import Membership, Street, User
from committee.roles import Role
from liaison_stations.models import LiaisonStation, StationKind
from tests import snapshot, workers

workers.set_apart(os.environ.get("PYTEST_XDIST_WORKER"))  # before any test: Redis and media per xdist worker

# Tests hash passwords with MD5: the production hasher costs ~0.3 s per password, which is its job.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo once into the test database (once per xdist worker); each test runs in a transaction rolled
    back after it. A transactional test (live server, Celery worker) commits, so instead of Django's flush it ends
    by putting the seeded snapshot back (tests/snapshot.py) and emptying its Redis database: every test starts from
    the seeded demo. The fixture's value is that snapshot."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        demo.seed()
        seeded = snapshot.take()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _restore(seeded))
        yield seeded


def _restore(seeded):
    def _fixture_teardown(test_case):
        seeded.restore()
        cache.clear()  # this worker's Redis database: what the test cached or queued refers to rows now gone

    return _fixture_teardown


@pytest.fixture
def django_assert_num_queries(django_assert_num_queries, db):
    """pytest-django's, with the working-day calendar loaded first: a process loads it once and again when its
    cache version is gone (a test emptied Redis), so a page's count must not depend on the test that ran before."""
    workdays.entered_arrangement()
    return django_assert_num_queries


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


@pytest.fixture(autouse=True)
def _fresh_compliance_grid():
    """The dashboard's cached grid outlives each test's rolled-back transaction: start every test without it."""
    from committee.compliance.cache import invalidate_all

    invalidate_all()


# --- Liaison stations (tests/test_stations*.py) -----------------------------------------------------------------


@pytest.fixture
def station(street):
    """望春门's street station (the demo's)."""
    return LiaisonStation.objects.get(street=street, kind=StationKind.STREET)


@pytest.fixture
def deputy_user(demo_data):
    return User.objects.get(username=f"wangchunmen_{Role.DEPUTY}")


@pytest.fixture
def coming(station):
    """The planned reception the demo deputy is on duty at."""
    return station.receptions.filter(starts_at__gte=timezone.now()).earliest("starts_at")

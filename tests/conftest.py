import pytest
from django.test import override_settings

from committee import demo
from committee.models import Membership, Street, User
from committee.roles import Role


# Tests hash passwords with MD5: the production hasher costs ~0.3 s per password, which is its job.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo once into the test database; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        demo.seed()


@pytest.fixture
def demo_data(db):
    """The demo of `seed_demo`: four streets, one account per role per street, the city account.
    Transactional tests (browser, workers) empty the database after themselves, so seed again if needed."""
    if not Street.objects.exists():
        demo.seed()


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

import pytest

# Tests whose code runs outside the test's transaction (a live server, a Celery worker, threads) commit for real;
# each ends by putting the seeded demo back (tests/snapshot.py, installed by tests/conftest.py's django_db_setup).
transactional_db = pytest.mark.django_db(transaction=True)

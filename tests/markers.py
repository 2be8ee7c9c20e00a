import pytest
from django.conf import settings

# Tests whose code runs outside the test's transaction (a live server, a Celery worker) commit for real and
# are emptied afterwards. available_apps makes Django's flush TRUNCATE ... CASCADE, which also reaches
# django-auditlog's own (unused, swapped-out) log table, referencing content types.
transactional_db = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))

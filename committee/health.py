"""/healthz: django-health-check's view with the database check and a broker check that also works for
the embedded filesystem transport (where celery's ping has no worker broadcast to use)."""

import dataclasses
import datetime

from health_check.base import HealthCheck
from health_check.checks import Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from config.celery import app as celery_app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis, or the filesystem queue of the quick start)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # kombu raises transport-specific errors
            raise ServiceUnavailable(f"broker unavailable: {type(error).__name__}") from error


health_view = HealthCheckView.as_view(checks=[Database, Broker])

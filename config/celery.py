import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The periodic tasks (everything celery beat starts) have their own queue, so the every-minute sweep never waits
# behind a backlog of sends in the default queue. Workers consume both: `-Q celery,periodic` (scripts/run.sh,
# docker-compose.yml, the tests' worker).
PERIODIC_QUEUE = "periodic"

app = Celery("committee")
app.config_from_object("django.conf:settings", namespace="CELERY")


def route_periodic(name, args, kwargs, options, task=None, **kw):
    if any(entry["task"] == name for entry in app.conf.beat_schedule.values()):
        return {"queue": PERIODIC_QUEUE}
    return None


app.conf.task_routes = (route_periodic,)
app.autodiscover_tasks()

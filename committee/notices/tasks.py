"""Thin tasks: fetch by id, call a service. All are idempotent and acknowledged late.

Sends go to Celery's default queue; the periodic tasks (the sweep and the others celery beat starts) to their own
queue, `periodic` (config/celery.py), so a backlog of sends never delays the sweep. Every worker consumes both."""

from celery import shared_task

from committee.notices import services


@shared_task(name="notices.send_notices", acks_late=True, ignore_result=True)
def send_notices(notice_ids: list[int]) -> None:
    """Send a batch of notices, the emails over one SMTP connection. A notice a transient failure put back is
    retried on its own (`send_notice`) after its backoff; if that cannot be published the sweep sends it."""
    for notice_id, countdown in services.notices_deliver(notice_ids=notice_ids).items():
        send_notice.apply_async(args=[notice_id], countdown=countdown)


@shared_task(name="notices.send_notice", bind=True, acks_late=True, ignore_result=True)
def send_notice(self, notice_id: int) -> None:
    """Send one notice. A transient failure puts the row back to pending with its next due time and retries
    with exponential backoff (capped at a few minutes); after NOTICES_MAX_ATTEMPTS the row is marked failed.
    If the retry cannot be published the sweep picks the row up when it is due."""
    countdown = services.notice_deliver(notice_id=notice_id)
    if countdown is not None:
        raise self.retry(countdown=countdown, max_retries=None)


@shared_task(name="notices.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict[str, int]:
    return services.notices_sweep()

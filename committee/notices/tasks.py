"""Thin tasks: fetch by id, call a service. Both are idempotent and acknowledged late."""

from celery import shared_task

from committee.notices import services


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

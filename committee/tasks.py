"""Thin tasks of the committee app itself (the sub-apps keep their own)."""

from celery import shared_task

from committee import uploads


@shared_task(name="uploads.clean_held", ignore_result=True)
def clean_held() -> int:
    """Hourly (beat): delete files kept for forms longer than UPLOAD_HOLD_HOURS ago."""
    return uploads.clean_held()

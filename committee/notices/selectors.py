"""Reads of notices other apps use. The rule they serve: a notice's link opens for its recipient, so whoever a
notice was sent to may read what it is about, even without the capability its readers usually need."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from committee.notices.models import Notice, NoticeState


def notified_subject_ids(user, model) -> QuerySet:
    """A subquery of the ids of the `model` rows a notice (not withdrawn) was sent to this person about."""
    return (
        Notice.objects.filter(recipient=user, subject_type=ContentType.objects.get_for_model(model))
        .exclude(state=NoticeState.CANCELLED)
        .values("subject_id")
    )


def was_notified_about(user, *, content_type_id: int, object_id: int) -> bool:
    """Whether a notice about this record (its `subject`) was sent to this person and not withdrawn: a handling
    unit invited to a meeting reads the meeting's notice PDF; a unit sent a 督办函 reads the letter."""
    if not user.is_authenticated:
        return False
    return (
        Notice.objects.for_user(user)
        .filter(recipient=user, subject_type_id=content_type_id, subject_id=object_id)
        .exclude(state=NoticeState.CANCELLED)
        .exists()
    )

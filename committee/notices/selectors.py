"""Reads of notices other apps use."""

from committee.notices.models import Notice, NoticeState


def was_notified_about(user, *, content_type_id: int, object_id: int) -> bool:
    """Whether a notice about this record (its `subject`) was sent to this person and not withdrawn. A notice's
    recipient may read what it is about even without the capability its readers usually need: a handling unit
    invited to a meeting reads the meeting's notice PDF; a unit sent a 督办函 reads the letter."""
    if not user.is_authenticated:
        return False
    return (
        Notice.objects.for_user(user)
        .filter(recipient=user, subject_type_id=content_type_id, subject_id=object_id)
        .exclude(state=NoticeState.CANCELLED)
        .exists()
    )

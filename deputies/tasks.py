from celery import shared_task
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.notices import sms
from deputies.models import ResidentMessage


@shared_task(acks_late=True, autoretry_for=(sms.TransientSmsError,), retry_backoff=30, max_retries=5)
def send_answer_sms(message_id: int) -> bool:
    """Tell a resident by SMS that the deputy answered. The row is claimed by a conditional update first, so a
    retried or duplicated task never sends twice; a transient gateway error gives the claim back and retries."""
    claimed = ResidentMessage.objects.filter(pk=message_id, sms_sent_at__isnull=True, answered_at__isnull=False)
    if not claimed.update(sms_sent_at=timezone.now()):
        return False
    message = ResidentMessage.objects.select_related("deputy__user").get(pk=message_id)
    text = _("【码上找代表】%(name)s代表已答复您的留言，查询码 %(code)s，查看：%(url)s") % {
        "name": message.deputy.user.full_name,
        "code": message.tracking_code,
        "url": settings.SITE_URL + message.tracking_url(),
    }
    try:
        sms.get_backend().send(mobile=message.phone, text=text)
    except sms.TransientSmsError:
        ResidentMessage.objects.filter(pk=message_id).update(sms_sent_at=None)
        raise
    return True


@shared_task(acks_late=True)
def render_posters(batch_id: int) -> bool:
    from deputies.services import posters_render

    return posters_render(batch_id=batch_id)

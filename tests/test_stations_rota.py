"""The stations' duty rota and its swaps, photos of the day, the poster and the reception notice, activity kinds:
services, pages (a deputy on a phone-sized page asks for a swap, the partner agrees, staff approve), another
street's rows are 404, and query counts that do not grow with the rows."""

import datetime
import io

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from committee.documents.models import DocumentKind, DocumentState
from committee.documents.selectors import documents_for
from committee.models import AuditEntry, User
from committee.notices.models import Notice
from deputies.models import Deputy
from liaison_stations import selectors, services
from liaison_stations.models import (
    ActivityKind,
    LiaisonStation,
    Reception,
    ReceptionPhoto,
    RotaSlot,
    StationKind,
    SwapRequest,
    SwapState,
)


@pytest.fixture
def deputy(deputy_user):
    return Deputy.objects.select_related("user").get(user=deputy_user)


@pytest.fixture
def future_day():
    """A day well after the demo's receptions, with nobody on the rota yet."""
    return timezone.localdate() + datetime.timedelta(days=90)


def _others(station, *exclude):
    return list(services.rota_candidates(station).exclude(pk__in=[d.pk for d in exclude]).select_related("user")[:3])


def _jpeg(name="photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- The rota ----------------------------------------------------------------------------------------------------


def test_generating_the_year_puts_deputies_in_turn_on_a_fixed_day_and_keeps_planned_dates(staff_user, station):
    made = services.rota_generate(by=staff_user, station=station, year=2031, day=31, per_day=2)
    dates = sorted({s.on_date for s in made})
    assert len(dates) == 12 and len(made) == 24
    assert datetime.date(2031, 2, 28) in dates and datetime.date(2031, 4, 30) in dates  # short months: their last
    deputies = [s.deputy_id for s in sorted(made, key=lambda s: (s.on_date, s.pk))]
    assert deputies[0] != deputies[1]  # two different deputies a day, in turn
    assert set(deputies) <= set(services.rota_candidates(station).values_list("pk", flat=True))
    # Running it again changes nothing: every date has its deputies.
    assert services.rota_generate(by=staff_user, station=station, year=2031, day=31) == []
    assert RotaSlot.objects.filter(station=station, on_date__year=2031).count() == 24


def test_only_staff_plan_the_rota_and_only_with_the_stations_deputies(staff_user, deputy_user, station, future_day):
    with pytest.raises(PermissionDenied):
        services.rota_generate(by=deputy_user, station=station, year=2031)
    stranger = Deputy.objects.exclude(street=station.street).first()
    with pytest.raises(ValidationError, match="进站代表"):
        services.rota_slot_add(by=staff_user, station=station, on_date=future_day, deputy=stranger)


def test_the_demo_has_a_years_rota_matching_its_receptions_and_a_pending_swap(station):
    year = timezone.localdate().year
    days = selectors.rota_days(station, year)
    assert len(days) == 12
    planned = [d for d in days if d["reception"] is not None]
    assert planned
    for day in planned:
        receivers = set(day["reception"].receivers.filter(kind="deputy").values_list("person_id", flat=True))
        on_rota = {s.deputy.user_id for s in day["slots"]}
        swapped = SwapRequest.objects.filter(slot__in=day["slots"]).exists()
        assert receivers == on_rota or swapped
    assert SwapRequest.objects.filter(street=station.street, state=SwapState.AGREED).count() == 1


def test_planning_a_reception_from_the_rota_prefills_its_deputies(client, login, staff_user, station, future_day):
    a, b = _others(station)[:2]
    for d in (a, b):
        services.rota_slot_add(by=staff_user, station=station, on_date=future_day, deputy=d)
    login(staff_user)
    response = client.get(reverse("stations:reception_add", args=[station.pk]), {"date": future_day.isoformat()})
    form = response.context["form"]
    assert set(form.initial["deputies"]) == {a.pk, b.pk}
    assert timezone.localtime(form.initial["starts_at"]).date() == future_day
    page = client.get(reverse("stations:rota", args=[station.pk]), {"year": future_day.year}).content.decode()
    assert f"?date={future_day:%Y-%m-%d}" in page


# --- Swaps -------------------------------------------------------------------------------------------------------


def _slot_with_reception(staff_user, station, deputy, day):
    """The deputy and another on the rota that day, and the reception planned from it."""
    other = _others(station, deputy)[0]
    slot = services.rota_slot_add(by=staff_user, station=station, on_date=day, deputy=deputy)
    services.rota_slot_add(by=staff_user, station=station, on_date=day, deputy=other)
    reception = services.reception_plan(
        by=staff_user,
        station=station,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        deputies=services.rota_deputies(station, day),
    )
    return slot, other, reception


def test_an_approved_swap_changes_the_rota_and_the_planned_receptions_receivers(
    staff_user, station, deputy, future_day
):
    slot, on_duty, reception = _slot_with_reception(staff_user, station, deputy, future_day)
    partner = _others(station, deputy, on_duty)[0]
    swap = services.swap_ask(by=deputy.user, slot=slot, partner=partner, reason="出差")
    assert Notice.objects.filter(event_key=f"stations.swap:{swap.pk}:asked", recipient=partner.user).exists()

    with pytest.raises(PermissionDenied):  # only the partner answers
        services.swap_answer(by=on_duty.user, swap=swap, agree=True)
    with pytest.raises(ValidationError, match="已处理"):  # staff approve only what the partner agreed to
        services.swap_decide(by=staff_user, swap=swap, approve=True)

    services.swap_answer(by=partner.user, swap=swap, agree=True)
    agreed = Notice.objects.filter(event_key=f"stations.swap:{swap.pk}:agreed")
    assert deputy.user_id in set(agreed.values_list("recipient_id", flat=True))
    services.swap_decide(by=staff_user, swap=swap, approve=True)

    swap.refresh_from_db()
    slot.refresh_from_db()
    assert swap.state == SwapState.APPROVED and swap.decided_by == staff_user
    assert slot.deputy == partner
    receivers = set(reception.receivers.filter(kind="deputy").values_list("person_id", flat=True))
    assert receivers == {partner.user_id, on_duty.user_id}
    decided = Notice.objects.filter(event_key=f"stations.swap:{swap.pk}:decided")
    assert set(decided.values_list("recipient_id", flat=True)) == {deputy.user_id, partner.user_id}
    audited = AuditEntry.objects.filter(content_type__model="rotaslot", object_pk=str(slot.pk))
    assert audited.filter(action=AuditEntry.Action.UPDATE).exists()


def test_an_exchange_swaps_both_slots_and_a_held_reception_stays_as_it_was(staff_user, station, deputy, future_day):
    partner = _others(station, deputy)[0]
    mine = services.rota_slot_add(by=staff_user, station=station, on_date=future_day, deputy=deputy)
    later = future_day + datetime.timedelta(days=30)
    theirs = services.rota_slot_add(by=staff_user, station=station, on_date=later, deputy=partner)
    swap = services.swap_ask(by=deputy.user, slot=mine, partner=partner, partner_slot=theirs)
    services.swap_answer(by=partner.user, swap=swap, agree=True)
    services.swap_decide(by=staff_user, swap=swap, approve=True)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.deputy, theirs.deputy) == (partner, deputy)


def test_an_exchange_is_not_approved_when_the_requester_got_the_other_day_meanwhile(
    staff_user, station, deputy, future_day
):
    partner = _others(station, deputy)[0]
    mine = services.rota_slot_add(by=staff_user, station=station, on_date=future_day, deputy=deputy)
    later = future_day + datetime.timedelta(days=30)
    theirs = services.rota_slot_add(by=staff_user, station=station, on_date=later, deputy=partner)
    swap = services.swap_ask(by=deputy.user, slot=mine, partner=partner, partner_slot=theirs)
    services.swap_answer(by=partner.user, swap=swap, agree=True)
    services.rota_slot_add(by=staff_user, station=station, on_date=later, deputy=deputy)
    with pytest.raises(ValidationError, match="互换的那天"):
        services.swap_decide(by=staff_user, swap=swap, approve=True)
    mine.refresh_from_db()
    assert mine.deputy == deputy and SwapRequest.objects.get(pk=swap.pk).state == SwapState.AGREED


def test_a_swap_is_refused_when_it_cannot_work(staff_user, station, deputy, future_day):
    slot, on_duty, _reception = _slot_with_reception(staff_user, station, deputy, future_day)
    with pytest.raises(ValidationError, match="已在值班表"):  # the partner is on duty that day already
        services.swap_ask(by=deputy.user, slot=slot, partner=on_duty)
    with pytest.raises(PermissionDenied):  # only the deputy on duty asks
        services.swap_ask(by=on_duty.user, slot=slot, partner=_others(station, deputy, on_duty)[0])
    past = RotaSlot.objects.filter(station=station, on_date__lt=timezone.localdate()).select_related("deputy")
    old = past.first()
    with pytest.raises(ValidationError, match="今后"):
        services.swap_ask(by=old.deputy.user, slot=old, partner=_others(station, old.deputy)[0])
    partner = _others(station, deputy, on_duty)[0]
    services.swap_ask(by=deputy.user, slot=slot, partner=partner)
    with pytest.raises(ValidationError, match="未办结"):
        services.swap_ask(by=deputy.user, slot=slot, partner=_others(station, deputy, on_duty, partner)[0])


def test_a_deputy_asks_for_a_swap_on_a_phone_and_staff_approve_it(client, login, staff_user, station, deputy):
    """The pages of the flow: the deputy's home shows the slot, the phone-first form asks, the partner's home has
    the to-do, the partner agrees, staff find it in their to-do list and approve."""
    day = timezone.localdate() + datetime.timedelta(days=60)
    slot = services.rota_slot_add(by=staff_user, station=station, on_date=day, deputy=deputy)
    partner = _others(station, deputy)[0]
    login(deputy.user)
    home = client.get(reverse("home")).content.decode()
    assert 'id="my-rota"' in home and reverse("stations:swap_add", args=[slot.pk]) in home
    form_page = client.get(reverse("stations:swap_add", args=[slot.pk])).content.decode()
    assert "btn-lg w-100" in form_page  # a full-width button: made for a phone
    response = client.post(
        reverse("stations:swap_add", args=[slot.pk]), {"partner": partner.pk, "reason": "家中有事"}, follow=True
    )
    swap = SwapRequest.objects.get(slot=slot)
    assert response.redirect_chain[-1][0] == swap.get_absolute_url()
    assert "等待对方同意" in response.content.decode()

    login(partner.user)
    assert "请您换班的申请" in client.get(reverse("home")).content.decode()
    client.post(swap.get_absolute_url(), {"action": "agree"})
    login(staff_user)
    assert "待审批的换班申请" in client.get(reverse("home")).content.decode()
    assert swap.get_absolute_url() in client.get(reverse("stations:swaps"), {"state": "agreed"}).content.decode()
    found = client.get(reverse("stations:swaps"), {"q": partner.user.full_name}).content.decode()
    assert swap.get_absolute_url() in found
    client.post(swap.get_absolute_url(), {"action": "approve"})
    slot.refresh_from_db()
    swap.refresh_from_db()
    assert swap.state == SwapState.APPROVED and slot.deputy == partner


def test_bad_swap_input_is_refused_in_chinese_and_changes_nothing(client, login, staff_user, station, deputy):
    day = timezone.localdate() + datetime.timedelta(days=61)
    slot = services.rota_slot_add(by=staff_user, station=station, on_date=day, deputy=deputy)
    login(deputy.user)
    response = client.post(reverse("stations:swap_add", args=[slot.pk]), {"partner": deputy.pk, "reason": "甲"})
    assert response.status_code == 200 and not SwapRequest.objects.filter(slot=slot).exists()
    assert response.context["form"].errors and 'value="甲"' in response.content.decode()


def test_another_deputys_slot_is_403_and_another_streets_rows_are_404(
    client, login, staff_user, station, deputy, future_day
):
    slot = services.rota_slot_add(by=staff_user, station=station, on_date=future_day, deputy=deputy)
    swap = SwapRequest.objects.filter(street=station.street).first()
    photo = ReceptionPhoto.objects.filter(street=station.street).first()
    other = _others(station, deputy)[0]
    login(other.user)
    assert client.get(reverse("stations:swap_add", args=[slot.pk])).status_code == 403
    login(User.objects.get(username="xinxianglu_staff"))
    for url in (
        reverse("stations:rota", args=[station.pk]),
        reverse("stations:rota_remove", args=[slot.pk]),
        reverse("stations:swap_add", args=[slot.pk]),
        swap.get_absolute_url(),
        reverse("stations:photo", args=[photo.pk]),
        reverse("stations:photo_delete", args=[photo.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("stations:poster", args=[station.pk])).status_code == 404
    assert client.post(swap.get_absolute_url(), {"action": "approve"}).status_code == 404
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.AGREED


# --- Photos ------------------------------------------------------------------------------------------------------


def test_photos_only_after_the_reception_started_by_its_receivers_and_staff(client, login, staff_user, station, coming):
    with pytest.raises(ValidationError, match="开始后"):
        services.photos_add(by=staff_user, reception=coming, uploads=[_jpeg()])
    held = Reception.objects.filter(station=station, starts_at__lt=timezone.now()).latest("starts_at")
    receiver = held.receivers.filter(kind="deputy").select_related("person").first().person
    login(receiver)
    response = client.post(
        reverse("stations:photos_add", args=[held.pk]), {"photos": [_jpeg("a.jpg"), _jpeg("b.png")], "caption": "现场"}
    )
    assert response.status_code == 302
    photos = list(held.photos.order_by("-pk")[:2])
    assert {p.caption for p in photos} == {"现场"}
    for p in photos:
        assert default_storage.exists(p.image.name) and default_storage.exists(p.thumbnail.name)
    page = client.get(held.get_absolute_url()).content.decode()
    assert f"{reverse('stations:photo', args=[photos[0].pk])}?thumb=1" in page
    thumb = client.get(reverse("stations:photo", args=[photos[0].pk]), {"thumb": "1"})
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert max(image.size) <= services.THUMBNAIL_PX
    receivers = list(held.receivers.filter(person__isnull=False).values_list("person_id", flat=True))
    outsider = Deputy.objects.filter(street=held.street, end_reason="").exclude(user_id__in=receivers).first().user
    login(outsider)
    assert client.get(reverse("stations:photos_add", args=[held.pk])).status_code == 403


def test_a_file_that_is_not_a_photo_is_refused_and_stores_nothing(client, login, staff_user, station):
    held = Reception.objects.filter(station=station, starts_at__lt=timezone.now()).latest("starts_at")
    before = held.photos.count()
    login(staff_user)
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(reverse("stations:photos_add", args=[held.pk]), {"photos": [fake], "caption": "说明"})
    assert response.status_code == 200 and "不是有效的照片" in response.content.decode()
    assert held.photos.count() == before


def test_deleting_a_photo_asks_first_and_removes_its_files(client, login, staff_user, station):
    held = Reception.objects.filter(station=station, starts_at__lt=timezone.now()).latest("starts_at")
    [photo] = services.photos_add(by=staff_user, reception=held, uploads=[_jpeg()])  # not the demo's: its files stay
    names = [photo.image.name, photo.thumbnail.name]
    login(staff_user)
    url = reverse("stations:photo_delete", args=[photo.pk])
    assert "确定删除这张照片" in client.get(url).content.decode()
    assert ReceptionPhoto.objects.filter(pk=photo.pk).exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda f, *a, **k: f())
        client.post(url)
    assert not ReceptionPhoto.objects.filter(pk=photo.pk).exists()
    assert not any(default_storage.exists(n) for n in names)


# --- Poster and reception notice -------------------------------------------------------------------------------


def _text_and_images(document):
    with pdfplumber.open(io.BytesIO(document.file.read())) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages), sum(len(p.images) for p in pdf.pages)


def test_the_poster_has_the_station_its_qr_code_and_the_coming_reception_days(staff_user, station, deputy, coming):
    document = services.poster_issue(by=staff_user, station=station, background=False)
    assert document.state == DocumentState.DONE and document.kind == DocumentKind.POSTER
    assert "工张〔" in document.number  # its own series: the 公文 numbers stay gapless
    text, images = _text_and_images(document)
    text = text.replace(" ", "")  # the banner is letter-spaced
    assert station.name in text and station.address in text
    assert timezone.localtime(coming.starts_at).strftime("%Y-%m-%d") in text
    assert deputy.user.full_name in text
    assert images >= 1  # the QR code
    assert document.context["url"].endswith(station.public_url())


def test_the_reception_notice_names_the_day_the_place_and_who_receives(staff_user, coming):
    document = services.reception_notice_issue(by=staff_user, reception=coming, background=False)
    text, _images = _text_and_images(document)
    start = timezone.localtime(coming.starts_at)
    text = text.replace(" ", "")  # the title is letter-spaced
    assert "接待公告" in text and f"{start.year}年{start.month}月{start.day}日" in text
    for receiver in coming.receivers.all():
        assert receiver.name in text


def test_the_pdfs_are_rendered_by_the_worker_not_in_the_request(client, login, staff_user, station):
    login(staff_user)
    with pytest.MonkeyPatch.context() as patch:
        rendered = []
        patch.setattr("committee.documents.services.document_render", lambda **k: rendered.append(k))
        response = client.post(reverse("stations:poster", args=[station.pk]), follow=True)
    assert not rendered
    document = documents_for(station).first()
    assert document.state == DocumentState.PENDING
    assert f'id="document-{document.pk}"' in response.content.decode()  # shown with its progress


def test_the_demo_issued_each_streets_poster(street):
    stations = LiaisonStation.objects.filter(kind=StationKind.STREET, street__slug__in=["wangchunmen", "dongshan"])
    for station in stations:
        assert documents_for(station).filter(template="stations/poster_pdf.html").exists()


# --- Activity kinds ----------------------------------------------------------------------------------------------


def test_only_a_themed_activity_counts_for_rule_14_5(street, staff_user, station):
    from committee.compliance.registry import Status, rule, window

    first = window(rule("14(5)").period, 2031, 1)
    today = datetime.date(2031, 7, 5)
    deputies = list(services.deputies_of(street)[:1])
    when = timezone.make_aware(datetime.datetime(2031, 3, 1, 9))
    for kind in (ActivityKind.BRIEFING, ActivityKind.ALL_LEVELS, ActivityKind.RECEPTION):
        services.reception_plan(by=staff_user, station=station, starts_at=when, deputies=deputies, kind=kind)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: when + datetime.timedelta(days=200))
        assert rule("14(5)").evaluate([street], first, today)[street.pk].status == Status.MISSED
        services.reception_plan(
            by=staff_user, station=station, starts_at=when, deputies=deputies, kind=ActivityKind.THEMED
        )
        assert rule("14(5)").evaluate([street], first, today)[street.pk].status == Status.MET
    with pytest.raises(ValidationError, match="活动类型"):
        services.reception_plan(by=staff_user, station=station, starts_at=when, deputies=deputies, kind="party")


# --- Query counts ------------------------------------------------------------------------------------------------


@pytest.fixture
def many_swaps(staff_user, station):
    """A year of rota with 12 deputies a month and an open swap on every slot: hundreds of rows."""
    deputies = list(services.rota_candidates(station).select_related("user")[:12])
    slots = RotaSlot.objects.bulk_create(
        [
            RotaSlot(street=station.street, station=station, on_date=datetime.date(2032, m, 15), deputy=d)
            for m in range(1, 13)
            for d in deputies
        ]
    )
    SwapRequest.objects.bulk_create(
        [
            SwapRequest(
                street=station.street, slot=s, partner=deputies[(i + 1) % len(deputies)], asked_by=s.deputy.user
            )
            for i, s in enumerate(slots)
        ]
    )
    return len(slots)


def test_rota_and_swap_pages_cost_the_same_whatever_the_rows(
    client, login, staff_user, station, many_swaps, django_assert_num_queries
):
    login(staff_user)
    rota_url = reverse("stations:rota", args=[station.pk])
    client.get(rota_url, {"year": 2032})
    with django_assert_num_queries(8):
        response = client.get(rota_url, {"year": 2032})
    assert sum(len(d["slots"]) for d in response.context["days"]) == many_swaps
    client.get(reverse("stations:swaps"))
    with django_assert_num_queries(6):
        response = client.get(reverse("stations:swaps"), {"page": 3})
    assert len(response.context["page"]) == 25


def test_the_demo_step_is_idempotent(demo_data):
    from committee.documents.models import Document
    from liaison_stations import demo

    def counts():
        return (
            RotaSlot.objects.count(),
            SwapRequest.objects.count(),
            ReceptionPhoto.objects.count(),
            Document.objects.filter(kind=DocumentKind.POSTER).count(),
        )

    before = counts()
    assert all(before)
    demo.seed()
    assert counts() == before

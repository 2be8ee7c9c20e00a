"""A rota swap on phones: the deputy finds their coming duty on their home and asks a fellow deputy to take it
over → the partner agrees → staff see it in their to-do list, approve it, and the planned reception's receivers
change."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deputies.models import Deputy
from liaison_stations import services
from liaison_stations.models import LiaisonStation, SwapRequest, SwapState
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_a_deputy_asks_for_a_swap_on_a_phone_and_staff_approve_it(phone, live_server, demo_data):
    base = live_server.url
    station = LiaisonStation.objects.get(street__slug="wangchunmen", kind="street")
    staff = station.street.memberships.get(user__username="wangchunmen_staff").user
    deputy = Deputy.objects.select_related("user").get(user__username="wangchunmen_deputy")
    day = timezone.localdate() + datetime.timedelta(days=75)
    slot = services.rota_slot_add(by=staff, station=station, on_date=day, deputy=deputy)
    reception = services.reception_plan(
        by=staff,
        station=station,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
        deputies=services.rota_deputies(station, day),
    )
    partner = services.rota_candidates(station).exclude(pk=deputy.pk).select_related("user").first()

    log_in(phone, base, "wangchunmen_deputy")
    card = phone.locator("#my-rota")
    expect(card).to_contain_text(f"{day:%Y-%m-%d}")
    card.locator("li", has_text=f"{day:%Y-%m-%d}").get_by_role("link", name="申请换班").click()
    phone.get_by_label("请哪位代表换班").select_option(label=partner.user.full_name)
    phone.get_by_label("原因").fill("当天外出开会")
    phone.get_by_role("button", name="发出申请").click()
    expect(phone.locator("#swap-state")).to_have_text("待对方同意")
    swap = SwapRequest.objects.get(slot=slot)
    services.swap_answer(by=partner.user, swap=swap, agree=True)

    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_staff")
    phone.get_by_role("link", name=re.compile("待审批的换班申请")).click()
    phone.get_by_role("link", name=re.compile(f"{day:%Y-%m-%d}")).click()
    phone.get_by_role("button", name="批准换班").click()
    expect(phone.locator("#swap-state")).to_have_text("已批准")
    swap.refresh_from_db()
    assert swap.state == SwapState.APPROVED
    assert list(reception.receivers.filter(kind="deputy").values_list("person_id", flat=True)) == [partner.user_id]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    assert not phone.console_errors

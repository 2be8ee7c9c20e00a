"""An enforcement inspection on a phone: from the 监督 menu to a started inspection, through the study session."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import Membership, Street, User
from committee.roles import Role
from supervision.activities import services
from supervision.activities.models import EnforcementInspection, InspectionOrigin, InspectionState
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_an_inspection_starts_only_after_its_study_session_on_a_phone(phone, live_server, demo_data):
    street = Street.objects.get(slug="wangchunmen")
    today = timezone.localdate()
    inspection = services.inspection_create(
        by=User.objects.get(username="wangchunmen_staff"),
        street=street,
        law="《中华人民共和国消防法》",
        scope="高层住宅消防通道",
        origin=InspectionOrigin.SELF,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
    )
    first_deputy = Membership.objects.active().filter(street=street, role=Role.DEPUTY).order_by("pk").first()

    log_in(phone, live_server.url, "wangchunmen_staff")
    phone.get_by_role("button", name="展开导航").click()
    phone.get_by_role("button", name="监督").click()
    phone.get_by_role("link", name="执法检查（第七条）").click()
    expect(phone.get_by_role("heading", name="执法检查")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("link", name="《中华人民共和国消防法》").click()
    expect(phone.get_by_text("检查前须组织代表学习相关法律法规。")).to_be_visible()
    expect(phone.get_by_role("link", name="开始检查")).to_have_class(re.compile("disabled"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.get_by_role("link", name="登记检查前学习").click()
    phone.get_by_label("学习内容").fill("学习消防法第二章")
    phone.get_by_label(first_deputy.user.full_name, exact=True).check()
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已登记检查前学习，可以开始检查。")).to_be_visible()

    phone.get_by_role("link", name="开始检查").click()
    phone.get_by_role("button", name="确认开始").click()
    expect(phone.get_by_text("执法检查已开始。")).to_be_visible()
    expect(phone.locator("#inspection-state")).to_have_text("检查中")
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.IN_PROGRESS and inspection.started_on == today
    assert list(inspection.study_sessions.get().attendees.all()) == [first_deputy]
    assert EnforcementInspection.objects.filter(street=street, state=InspectionState.IN_PROGRESS).count() == 2
    assert phone.console_errors == []

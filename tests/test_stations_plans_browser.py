"""Art 14(3) on a phone: staff make next year's activity plan from the station page and record a training of the
station's post holders; the city reads every station's figures."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison_stations.models import ActivityPlan, LiaisonStation, Training
from liaison_stations.services import role_holders
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_staff_plan_the_year_and_record_a_training_and_the_city_reads_the_figures(phone, live_server, demo_data):
    base = live_server.url
    station = LiaisonStation.objects.get(street__slug="wangchunmen", kind="street")
    next_year = timezone.localdate().year + 1
    holder = role_holders(station.street).first()

    log_in(phone, base, "wangchunmen_staff")
    phone.goto(base + station.get_absolute_url())
    phone.get_by_role("link", name=f"制定{next_year}年计划").click()
    expect(phone.get_by_label("年度")).to_have_value(str(next_year))
    phone.locator("select[name=items-0-month]").select_option("1")
    phone.locator("select[name=items-0-kind]").select_option("reception")
    phone.locator("input[name=items-0-title]").fill("1月“1+4”进站接待")
    phone.locator("select[name=items-1-month]").select_option("3")
    phone.locator("select[name=items-1-kind]").select_option("training")
    phone.locator("input[name=items-1-title]").fill("站长履职培训")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存活动计划。")).to_be_visible()
    expect(phone.locator("#plan-items")).to_contain_text("站长履职培训")
    plan = ActivityPlan.objects.get(station=station, year=next_year)
    expect(phone).to_have_url(re.compile(rf"/stations/plans/{plan.pk}/$"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.goto(base + station.get_absolute_url())
    phone.get_by_role("link", name="登记培训").click()
    phone.get_by_label("培训主题").fill("联络员接待礼仪培训")
    phone.get_by_label("培训日期").fill(f"{timezone.localdate():%Y-%m-%d}")
    phone.get_by_label("主讲或组织单位").fill("街道人大工委")
    phone.get_by_label(holder.full_name, exact=True).check()
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已保存培训记录。")).to_be_visible()
    expect(phone.locator("#trainings")).to_contain_text("联络员接待礼仪培训")
    assert list(Training.objects.get(topic="联络员接待礼仪培训").attendees.all()) == [holder]

    phone.context.clear_cookies()
    log_in(phone, base, "xiangxiang_city")
    phone.goto(base + "/stations/figures/")
    phone.locator("select[name=street]").select_option(str(station.street_id))
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("#network")).to_contain_text(station.name)
    expect(phone.locator("#network")).not_to_contain_text("新湘路")
    assert not phone.console_errors

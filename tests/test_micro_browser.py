"""民生微实事 on a 375-px phone: a resident proposes on the street's public form (no login) and keeps the tracking
link → staff approve it with a budget and assign it → the unit reports progress → staff finish it → the resident
rates it through the link → the public list shows it finished with its rating."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from committee.models import Street, User
from livelihood_votes.models import LivelihoodProject, ProjectState
from supervision.models import HandlingUnit, UnitKind
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def _as(phone, url, username):
    phone.context.clear_cookies()
    log_in(phone, url, username)


def _fits(phone):
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_micro_project_from_the_public_form_to_the_residents_rating(phone, live_server, demo_data):
    url = live_server.url
    phone.on("dialog", lambda dialog: dialog.accept())
    street = Street.objects.get(slug="wangchunmen")
    today = datetime.date.today()

    # A resident, no login: the street's list, then the form.
    phone.goto(f"{url}/p/micro/{street.slug}/")
    _fits(phone)
    phone.get_by_role("link", name="我要提出民生微实事").click()
    phone.get_by_label("项目名称").fill("单元门口加装雨棚")
    phone.get_by_label("项目内容").fill("下雨天进出单元门淋雨，希望加装雨棚。")
    phone.get_by_label("实施地点").fill("东风小区5栋")
    phone.get_by_label("您的姓名").fill("居民周女士")
    phone.get_by_label("联系电话（选填，仅工作人员可见）").fill("13700001111")
    phone.wait_for_timeout(3100)  # a person takes longer than 3 s (the signed time stamp)
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已收到您的建议")).to_be_visible()
    tracking = phone.locator("#micro-tracking").get_attribute("href")
    project = LivelihoodProject.objects.get(title="单元门口加装雨棚")
    assert project.state == ProjectState.PROPOSED and project.proposer_phone == "13700001111"

    # Staff approve it with a budget and assign it to the street office.
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/projects/?kind=micro")
    _fits(phone)
    phone.get_by_role("link", name=re.compile("单元门口加装雨棚")).click()
    expect(phone.get_by_text("13700001111")).to_be_visible()  # staff see the phone
    phone.get_by_label("批准预算（万元）").fill("1.8")
    phone.locator("#micro-approve").click()
    expect(phone.get_by_text("已立项，请交办承办单位。")).to_be_visible()
    phone.get_by_role("link", name="交办").click()
    office = HandlingUnit.objects.get(street=street, kind=UnitKind.OFFICE)
    phone.get_by_label("承办单位").select_option(value=str(office.pk))
    phone.get_by_label("完成时限").fill((today + datetime.timedelta(days=40)).isoformat())
    phone.get_by_label("项目节点").fill(f"{today + datetime.timedelta(days=30)} 雨棚安装完成")
    deputy = User.objects.get(username="wangchunmen_deputy")
    phone.get_by_label("督办人（人大代表、居民议事员）").select_option(value=str(deputy.pk))
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("雨棚安装完成")).to_be_visible()

    # The unit reports the month's progress.
    _as(phone, url, "wangchunmen_handling_unit")
    phone.goto(f"{url}/livelihood/projects/{project.pk}/")
    phone.get_by_role("link", name="报送本月进展").click()
    phone.get_by_label("完成进度（%）").fill("100")
    phone.get_by_label("本月进展情况").fill("雨棚已安装完成。")
    phone.get_by_role("button", name="提交").click()
    expect(phone.get_by_text("已报送本月进展。")).to_be_visible()

    # Staff finish it.
    _as(phone, url, "wangchunmen_staff")
    phone.goto(f"{url}/livelihood/projects/{project.pk}/")
    phone.locator("#micro-finish").click()
    expect(phone.get_by_text("已办结，提出人可以评价了。")).to_be_visible()

    # The resident rates it through the tracking link; the public list shows it finished, without the phone.
    phone.context.clear_cookies()
    phone.goto(tracking)
    _fits(phone)
    expect(phone.locator("#micro-state")).to_have_text("已办结")
    phone.get_by_label("★★★★★").check()
    phone.get_by_label("意见（选填）").fill("很及时")
    phone.locator("#micro-rate").click()
    expect(phone.locator("#micro-rated")).to_contain_text("5★")
    phone.goto(f"{url}/p/micro/{street.slug}/")
    item = phone.get_by_role("link", name=re.compile("单元门口加装雨棚"))
    expect(item).to_contain_text("已办结")
    expect(item).to_contain_text("5★")
    expect(phone.get_by_text("13700001111")).to_have_count(0)

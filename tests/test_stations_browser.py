"""A reception on phones: staff plan it at the street station with two deputies and the "1+4" officials → the
deputy on duty registers two visitors, answers one matter on the spot and passes the other into the loop (the
resident gets a tracking code) → staff record the summary and who came → the reception counts on the deputy's
home."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from deputies.models import Deputy
from liaison_stations.models import LiaisonStation, Reception
from supervision.models import Channel
from tests.markers import transactional_db
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, transactional_db]


def test_staff_plan_a_reception_and_the_deputy_registers_visitors_on_a_phone(phone, live_server, demo_data):
    base = live_server.url
    station = LiaisonStation.objects.get(street__slug="wangchunmen", kind="street")
    deputy = Deputy.objects.select_related("user").get(user__username="wangchunmen_deputy")
    other = (
        Deputy.objects.filter(street=station.street, end_reason="").exclude(pk=deputy.pk).select_related("user").first()
    )
    starts_at = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))

    # Staff plan the reception from the station's page.
    log_in(phone, base, "wangchunmen_staff")
    phone.goto(base + station.get_absolute_url())
    phone.get_by_role("link", name="安排接待日").click()
    phone.get_by_label("接待时间").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    phone.get_by_label("主题", exact=True).fill("老旧小区改造")
    phone.get_by_label(deputy.user.full_name, exact=True).check()
    phone.get_by_label(other.user.full_name, exact=True).check()
    phone.get_by_label("法官", exact=True).fill("刘法官（湘乡市人民法院）")
    phone.get_by_label("检察官", exact=True).fill("陈检察官（湘乡市人民检察院）")
    phone.get_by_label("派出所所长", exact=True).fill("周所长（城关派出所）")
    phone.get_by_label("司法所（调解）员", exact=True).fill("吴调解员")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已安排接待日")).to_be_visible()
    expect(phone.locator("#composition")).to_contain_text("符合“1+4”要求")
    reception = Reception.objects.get(station=station, theme="老旧小区改造")

    # The deputy on duty, on their phone: the reception from their list, two visitors.
    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_deputy")
    phone.goto(base + "/stations/receptions/")
    phone.get_by_role("link", name=f"{starts_at:%Y-%m-%d %H:%M} {station.name}").click()
    expect(phone).to_have_url(re.compile(rf"/stations/receptions/{reception.pk}/$"))
    phone.get_by_role("link", name="登记来访").click()
    phone.get_by_label("来访人").fill("王大爷")
    phone.get_by_label("反映事项（记录原话）").fill("单元门禁坏了，外人随便进。")
    phone.get_by_label("当场答复", exact=True).check()
    phone.get_by_label("答复内容").fill("已联系物业，本周修好。")
    phone.get_by_role("button", name="登记", exact=True).click()
    expect(phone.get_by_text("已登记当场答复。")).to_be_visible()
    phone.get_by_role("link", name="登记来访").click()
    phone.get_by_label("来访人").fill("李阿姨")
    phone.get_by_label("联系电话").fill("13800003333")
    phone.get_by_label("反映事项（记录原话）").fill("小区电梯经常停运，老人上下楼难。")
    phone.get_by_label("转入意见建议办理").check()
    phone.get_by_role("button", name="登记", exact=True).click()
    expect(phone.get_by_text(re.compile("已转入意见建议办理"))).to_be_visible()
    passed = reception.visits.get(name="李阿姨").opinion
    assert passed.channel == Channel.RECEPTION and passed.proposer_user == deputy.user
    expect(phone.locator("#visits")).to_contain_text(passed.tracking_code)

    # The resident's tracking code opens the loop's tracking page.
    phone.goto(base + f"/track/{passed.tracking_code}/")
    expect(phone.get_by_text(re.compile("电梯"))).to_be_visible()

    # Staff record the summary and attendance; the reception counts on the deputy's home.
    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_staff")
    phone.goto(base + reception.get_absolute_url())
    phone.get_by_role("link", name="小结与到场").click()
    phone.get_by_label("接待小结").fill("接待群众2人次。")
    phone.get_by_role("button", name="保存").click()
    expect(phone.get_by_text("已登记接待小结和到场情况。")).to_be_visible()
    phone.context.clear_cookies()
    log_in(phone, base, "wangchunmen_deputy")
    expect(phone.locator("#duty-quotas")).to_contain_text("进站接待选民")
    # The home lists only the three latest duties (by day); the 档案 lists every one of the year.
    phone.locator("#duties").get_by_role("link", name="我的履职档案").click()
    expect(phone.locator("main")).to_contain_text(station.name)
    assert not phone.console_errors

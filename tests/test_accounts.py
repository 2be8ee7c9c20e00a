import pytest
from django.urls import reverse

from committee.models import User


def test_login_by_mobile_number_lands_on_the_home_page(client, staff_user):
    response = client.post(reverse("login"), {"username": staff_user.mobile, "password": "Renda@2025"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == staff_user
    assert "待办事项" in response.content.decode()


def test_login_by_username(client, staff_user):
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "Renda@2025"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_is_refused_in_chinese(client, staff_user):
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staff_user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "Renda@2025"})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_change(client, staff_user):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.post(
        reverse("password_change"),
        {"old_password": "Renda@2025", "new_password1": "湘乡街道2026!", "new_password2": "湘乡街道2026!"},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("湘乡街道2026!")


def test_logout_is_a_post(client, staff_user):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_inactive_users_cannot_log_in(client, staff_user):
    User.objects.filter(pk=staff_user.pk).update(is_active=False)
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "Renda@2025"})
    assert response.status_code == 200


def test_security_headers_and_a_csp_without_inline_scripts(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_and_no_cdn(client, staff_user):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    html = client.get(reverse("home")).content.decode()
    assert "<script>" not in html
    assert '<script src="/static/' in html
    assert "cdn" not in html.lower()


def test_post_without_csrf_token_is_refused(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": staff_user.username, "password": "Renda@2025"})
    assert response.status_code == 403


def test_error_pages_are_in_chinese(client, staff_user):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    assert "页面不存在" in client.get("/no-such-page/").content.decode()
    assert "无权访问" in client.get(reverse("committee:audit_list")).content.decode()


DEMO_HOME_SECTIONS = {
    "director": "待办事项",
    "vice_director": "待办事项",
    "staff": "待办事项",
    "party": "履职看板",
    "deputy": "我的履职",
    "council_member": "我的履职",
    "handling_unit": "待办事项",
}


@pytest.mark.parametrize("slug", ["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"])
@pytest.mark.parametrize("role", sorted(DEMO_HOME_SECTIONS))
def test_every_demo_account_logs_in_to_its_own_home(client, demo_data, slug, role):
    response = client.post(reverse("login"), {"username": f"{slug}_{role}", "password": "Renda@2025"}, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert DEMO_HOME_SECTIONS[role] in text
    assert User.objects.get(username=f"{slug}_{role}").full_name in text


def test_the_city_demo_account_sees_the_dashboard_of_all_four_streets(client, demo_data):
    response = client.post(reverse("login"), {"username": "xiangxiang_city", "password": "Renda@2025"}, follow=True)
    text = response.content.decode()
    assert "履职看板" in text
    assert all(name in text for name in ("望春门街道", "新湘路街道", "昆仑桥街道", "东山街道"))


def test_the_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统错误" in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_the_home_to_do_list_gathers_what_each_chapter_asks_of_the_person(client, demo_data):
    from supervision.models import OPEN_WITH_UNIT
    from supervision.selectors import unit_inbox

    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    client.force_login(unit_user, backend="committee.auth.MobileOrUsernameBackend")
    items = client.get(reverse("home")).context["todo_items"]
    open_cases = unit_inbox(unit_user).filter(state__in=OPEN_WITH_UNIT).order_by("deadline", "-created_at")
    assert open_cases.count() > 0
    cases = [(item.label, item.url, item.count) for item in items if "/opinions/" in item.url]
    assert cases[0] == ("待办理的意见建议", reverse("supervision:inbox"), open_cases.count())
    assert [url for _label, url, _count in cases[1:]] == [o.get_absolute_url() for o in open_cases[:5]]
    meetings = [item.label for item in items if "/meetings/" in item.url]
    assert meetings == ["请答复是否参加：老旧小区改造和民生实事推进情况专题工委会议"]  # invited as 相关参会人员

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from committee import services
from committee.models import Membership, User
from committee.roles import Role


def test_staff_add_a_new_person_who_can_then_log_in(login, staff_user, street, client):
    login(staff_user)
    response = client.post(
        reverse("committee:person_add"),
        {
            "street": street.pk,
            "full_name": "欧阳堃",
            "mobile": "13812345678",
            "role": Role.DEPUTY,
            "title": "市人大代表",
            "started_on": "2026-01-05",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "已添加 欧阳堃" in text
    password = text.split("初始密码：")[1].split("（")[0]
    membership = Membership.objects.get(user__mobile="13812345678")
    assert (membership.street, membership.role, membership.user.full_name) == (street, Role.DEPUTY, "欧阳堃")
    client.logout()
    response = client.post(reverse("login"), {"username": "13812345678", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(membership.user.pk)


def test_a_known_person_gets_another_role_without_a_new_account(staff_user, street, deputy_membership):
    membership, password = services.person_add(
        by=staff_user, street=street, full_name="x", mobile=deputy_membership.user.mobile, role=Role.COUNCIL_MEMBER
    )
    assert password is None
    assert membership.user == deputy_membership.user


def test_the_same_open_role_twice_is_refused_with_a_message(staff_user, street, deputy_membership):
    with pytest.raises(ValidationError, match="已在本街道担任该角色"):
        services.person_add(
            by=staff_user, street=street, full_name="x", mobile=deputy_membership.user.mobile, role=Role.DEPUTY
        )


def test_the_database_refuses_a_duplicate_open_role(deputy_membership):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=deputy_membership.user, street=deputy_membership.street, role=Role.DEPUTY)


def test_the_database_refuses_a_city_role_in_a_street(street, staff_user):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=staff_user, street=street, role=Role.CITY)


def test_bad_input_keeps_what_was_typed_and_changes_nothing(login, staff_user, street, client):
    login(staff_user)
    before = User.objects.count()
    response = client.post(
        reverse("committee:person_add"),
        {"street": street.pk, "full_name": "李玥", "mobile": "1234", "role": Role.DEPUTY, "started_on": "2026-01-05"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "请输入11位手机号码" in text
    assert 'value="李玥"' in text
    assert User.objects.count() == before


def test_staff_cannot_add_people_to_another_street(staff_user, other_street):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_add(by=staff_user, street=other_street, full_name="x", mobile="13811112222", role=Role.DEPUTY)


def test_the_add_form_offers_only_the_users_streets(login, staff_user, other_street, client):
    login(staff_user)
    response = client.post(
        reverse("committee:person_add"),
        {
            "street": other_street.pk,
            "full_name": "x",
            "mobile": "13811112222",
            "role": Role.DEPUTY,
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(mobile="13811112222").exists()


def test_ending_a_role_asks_first_then_keeps_the_row(login, staff_user, deputy_membership, client):
    login(staff_user)
    url = reverse("committee:membership_end", args=[deputy_membership.pk])
    assert "确认登记" in client.get(url).content.decode()
    client.post(url, {"ended_on": "2026-06-30"})
    deputy_membership.refresh_from_db()
    assert deputy_membership.ended_on == datetime.date(2026, 6, 30)


def test_ending_before_the_start_is_refused(login, staff_user, deputy_membership, client):
    login(staff_user)
    response = client.post(reverse("committee:membership_end", args=[deputy_membership.pk]), {"ended_on": "2020-01-01"})
    assert "离任日期不能早于任职日期" in response.content.decode()
    deputy_membership.refresh_from_db()
    assert deputy_membership.ended_on is None


def test_person_list_searches_and_masks_mobiles_for_readers(login, city_user, deputy_membership, client):
    login(city_user)
    response = client.get(reverse("committee:person_list"), {"q": deputy_membership.user.full_name})
    text = response.content.decode()
    assert deputy_membership.user.full_name in text
    mobile = deputy_membership.user.mobile
    assert mobile not in text
    assert f"{mobile[:3]}****{mobile[7:]}" in text

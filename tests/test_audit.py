import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from committee.models import AuditEntry, User


def test_a_change_through_the_ui_is_recorded_with_the_user_and_the_diff(login, staff_user, deputy_membership, client):
    login(staff_user)
    user = deputy_membership.user
    old_name = user.full_name
    response = client.post(
        reverse("committee:person_edit", args=[deputy_membership.pk]),
        {"full_name": "刘喆", "mobile": user.mobile, "email": "", "title": "市人大代表（连任）"},
    )
    assert response.status_code == 302
    person_entry = AuditEntry.objects.filter(object_id=user.pk, content_type__model="user").latest("timestamp")
    assert person_entry.actor == staff_user
    assert person_entry.changes_dict["full_name"] == [old_name, "刘喆"]
    membership_entry = AuditEntry.objects.filter(
        object_id=deputy_membership.pk, content_type__model="membership"
    ).latest("timestamp")
    assert membership_entry.actor == staff_user
    assert membership_entry.street == deputy_membership.street
    assert membership_entry.changes_dict["title"] == ["湘乡市人大代表", "市人大代表（连任）"]


def test_directors_see_their_streets_log_and_not_anothers(login, staff_user, deputy_membership, client):
    login(staff_user)
    client.post(
        reverse("committee:person_edit", args=[deputy_membership.pk]),
        {"full_name": "刘喆", "mobile": deputy_membership.user.mobile, "email": "", "title": "审计测试职务"},
    )
    director = User.objects.get(username="wangchunmen_director")
    login(director)
    assert "审计测试职务" in client.get(reverse("committee:audit_list")).content.decode()
    login(User.objects.get(username="xinxianglu_director"))
    assert "审计测试职务" not in client.get(reverse("committee:audit_list")).content.decode()
    login(User.objects.get(username="xiangxiang_city"))
    assert "审计测试职务" in client.get(reverse("committee:audit_list")).content.decode()


def test_passwords_never_reach_the_log(staff_user):
    staff_user.set_password("另一个密码123")
    staff_user.save()
    for entry in AuditEntry.objects.filter(object_id=staff_user.pk, content_type__model="user"):
        assert "password" not in (entry.changes_dict or {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_the_log_is_append_only_in_the_database(staff_user):
    staff_user.full_name = "改名测试"
    staff_user.save()
    entry = AuditEntry.objects.latest("pk")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

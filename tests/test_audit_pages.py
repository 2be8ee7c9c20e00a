"""/audit/: pages by time without counting the log (older / newer), filters, and entries in words."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from committee.models import AuditEntry, Membership, User
from committee.roles import Role

# Newest first; of two entries with the same time, the later-written (higher pk, odd serial) first.
ORDER = [serial ^ 1 for serial in range(70)]


def entry_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r"审计分页(\d+)号", response.content.decode())]


@pytest.fixture
def many_entries(street):
    """70 entries in 望春门, one a minute, the newest first in time; all with the same second twice over."""
    content_type = ContentType.objects.get_for_model(Membership)
    start = timezone.now() + datetime.timedelta(days=1)  # newer than every demo entry
    AuditEntry.objects.bulk_create(
        AuditEntry(
            content_type=content_type,
            object_pk="1",
            object_id=1,
            object_repr=f"审计分页{serial}号",
            action=AuditEntry.Action.UPDATE,
            street=street,
            timestamp=start - datetime.timedelta(minutes=serial // 2),  # pairs share a timestamp
        )
        for serial in range(70)
    )


def test_older_pages_walk_the_whole_log_in_order_and_newer_comes_back(login, director, many_entries, client):
    login(director)
    url = reverse("committee:audit_list")
    first = client.get(url)
    assert entry_ids(first) == ORDER[:25]
    assert "较新" not in first.content.decode()
    older = first.context["page"].older
    second = client.get(url, {"older": older})
    assert entry_ids(second) == ORDER[25:50]
    third = client.get(url, {"older": second.context["page"].older})
    assert entry_ids(third)[:20] == ORDER[50:]  # then the demo's own entries
    back = client.get(url, {"newer": third.context["page"].newer})
    assert entry_ids(back) == ORDER[25:50]
    top = client.get(url, {"newer": back.context["page"].newer})
    assert entry_ids(top) == ORDER[:25]
    assert top.context["page"].newer is None


def test_a_bad_cursor_gives_the_newest_page(login, director, many_entries, client):
    login(director)
    response = client.get(reverse("committee:audit_list"), {"older": "not-a-cursor"})
    assert entry_ids(response) == ORDER[:25]


def test_the_street_filter_keeps_to_that_street_across_pages(login, city_user, many_entries, other_street, client):
    login(city_user)
    url = reverse("committee:audit_list")
    members = set(Membership.objects.filter(street=other_street).values_list("user_id", flat=True))

    def of_that_street(entry):
        return entry.street_id == other_street.pk or (entry.content_type.model == "user" and entry.object_id in members)

    response = client.get(url, {"street": other_street.pk})
    assert entry_ids(response) == []
    assert response.context["page"] and all(of_that_street(entry) for entry in response.context["page"])
    older = client.get(url, {"street": other_street.pk, "older": response.context["page"].older})
    assert older.context["page"] and all(of_that_street(entry) for entry in older.context["page"])
    assert f"street={other_street.pk}&amp;" in older.content.decode()


def test_a_persons_changes_and_the_streets_entries_merge_in_time_order(
    login, director, many_entries, deputy_membership, client
):
    """The two parts of the log (the street's entries, its people's) are paged together, newest first."""
    person = deputy_membership.user
    person.full_name = "合并测试"
    person.save()  # a change to a person of the street: an entry without a street
    login(director)
    url = reverse("committee:audit_list")
    seen, cursor = [], None
    for _ in range(4):
        page = client.get(url, {"older": cursor} if cursor else {}).context["page"]
        seen += [(entry.timestamp, entry.pk) for entry in page]
        cursor = page.older
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 100
    kinds = {entry.content_type.model for entry in AuditEntry.objects.filter(pk__in=[pk for _, pk in seen])}
    assert "user" in kinds and len(kinds) > 1


def test_entries_read_in_chinese_with_labels_names_and_local_time(
    login, staff_user, director, deputy_membership, client
):
    login(staff_user)
    client.post(
        reverse("committee:person_edit", args=[deputy_membership.pk]),
        {"full_name": "刘喆", "mobile": deputy_membership.user.mobile, "email": "", "title": "审计显示测试"},
    )
    login(director)
    page = client.get(reverse("committee:audit_list")).content.decode()
    row = next(row for row in page.split("<tr>") if "审计显示测试" in row)
    assert "修改" in row and "update" not in row
    assert "职务" in row and "<strong>title</strong>" not in row
    assert "角色任职：" in row  # the kind of record and its own name
    created = client.get(reverse("committee:audit_list"), {"q": "望春门"}).content.decode()
    assert ".None" not in created
    assert "deputy_suggestion" not in client.get(reverse("committee:audit_list")).content.decode()


def test_choice_codes_show_as_labels_and_times_as_local(street, staff_user):
    from committee import audit

    entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(Membership),
        object_repr="x",
        action=AuditEntry.Action.CREATE,
        changes={
            "role": [None, Role.DEPUTY],
            "full_time": [None, "True"],
            "user": [None, str(staff_user.pk)],
            "started_on": [None, "2026-12-01"],
        },
    )
    shown = {change.field: change.new for change in audit.changes(entry)}
    assert shown == {"角色": "人大代表", "专职": "是", "人员": f"#{staff_user.pk}", "任职日期": "2026-12-01"}
    assert audit.action_label(entry) == "新建"
    user_entry = AuditEntry(
        content_type=ContentType.objects.get_for_model(User),
        object_repr="x",
        action=AuditEntry.Action.UPDATE,
        changes={"date_joined": ["2026-12-03 01:30:00", "2026-12-03 16:30:00.5"], "memberships": [None, "x.None"]},
    )
    assert [(c.field, c.old, c.new) for c in audit.changes(user_entry)] == [
        ("加入日期", "2026-12-03 09:30", "2026-12-04 00:30")
    ]

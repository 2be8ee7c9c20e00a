"""`manage.py seed_scale` at a tiny size: the rows it promises, valid for the app's pages, and safe to run again."""

import io

from django.core.management import call_command
from django.urls import reverse

from committee.models import AuditEntry, Membership, Municipality, Street, User
from committee.notices.models import Notice
from committee.roles import Role
from meetings.models import Meeting, Participant
from supervision.models import HandlingUnit, Opinion

TINY = {"municipalities": 2, "streets": 4, "deputies": 6, "cases": 12, "meetings": 3, "participants": 4, "audit": 10}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Municipality,
            Street,
            User,
            Membership,
            HandlingUnit,
            Opinion,
            Meeting,
            Participant,
            Notice,
            AuditEntry,
        )
    )


def test_seed_scale_writes_each_kind_of_row_and_runs_again_without_duplicates(demo_data, login, client):
    before = counts()
    out = io.StringIO()
    call_command("seed_scale", stdout=out, **TINY)
    after = counts()
    added = dict(
        zip(
            ["cities", "streets", "users", "roles", "units", "cases", "meetings", "participants", "notices", "audit"],
            [b - a for a, b in zip(before, after, strict=True)],
            strict=True,
        )
    )
    # Per street: 5 committee accounts, 3 unit officers and 6 deputies; one city account per city. Audit: 10 per
    # street, and the city's own row, account and role are created one by one, so logged (3 per city).
    assert added == {
        "cities": 2,
        "streets": 4,
        "users": 4 * 14 + 2,
        "roles": 4 * 14 + 2,
        "units": 40,
        "cases": 48,
        "meetings": 12,
        "participants": 48,
        "notices": 48,
        "audit": 4 * 10 + 2 * 3,
    }
    assert "规模数据已就绪" in out.getvalue()
    call_command("seed_scale", stdout=io.StringIO(), **TINY)
    assert counts() == after
    # The accounts log in and see their street's rows.
    staff = User.objects.get(username="scale001_staff")
    assert Membership.objects.get(user=staff).role == Role.STAFF
    login(staff)
    page = client.get(reverse("supervision:opinion_list"))
    assert page.status_code == 200 and page.context["page"].paginator.count == 12
    login(User.objects.get(username="scale_m01_city"))
    assert client.get(reverse("committee:audit_list")).status_code == 200
    assert User.objects.get(username="scale001_deputy001").has_usable_password()
    assert not User.objects.get(username="scale001_deputy002").has_usable_password()


def test_seed_demo_after_seed_scale_leaves_the_scale_streets_alone(demo_data):
    from committee import demo
    from committee.funding.models import BudgetLine

    call_command("seed_scale", stdout=io.StringIO(), **TINY)
    demo.seed()
    assert not BudgetLine.objects.filter(street__slug__startswith="scale").exists()

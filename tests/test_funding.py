import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from committee.funding import services
from committee.funding.models import BudgetLine, Category, Expenditure, Source
from committee.models import User


@pytest.fixture
def line(street):
    return BudgetLine.objects.get(street=street, year=2026, category=Category.COUNCIL)


def test_overview_shows_budget_spent_and_balance(client, staff_user, line):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.get(reverse("funding:overview"), {"year": 2026})
    spent = sum(e.amount for e in line.expenditures.all())
    rows = {r.pk: r for r in response.context["lines"]}
    assert rows[line.pk].spent == spent
    assert rows[line.pk].balance == line.amount - spent
    assert {r.street_id for r in rows.values()} == {line.street_id}


def test_staff_set_a_budget_line_from_the_form(client, staff_user, street):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    response = client.post(
        reverse("funding:line_set"),
        {
            "street": street.pk,
            "year": 2027,
            "category": Category.COUNCIL,
            "source": Source.STREET_BUDGET,
            "amount": "60000",
        },
    )
    assert response.status_code == 302
    assert BudgetLine.objects.get(street=street, year=2027, category=Category.COUNCIL).amount == Decimal("60000")


def test_setting_the_same_line_again_corrects_it(staff_user, line):
    services.budget_line_set(
        by=staff_user, street=line.street, year=2026, category=line.category, source=line.source, amount=Decimal("1")
    )
    line.refresh_from_db()
    assert line.amount == Decimal("1")
    assert BudgetLine.objects.filter(street=line.street, year=2026, category=line.category).count() == 1


def test_expenditure_outside_the_budget_year_is_refused(staff_user, line):
    with pytest.raises(ValidationError, match="支出日期须在预算年度"):
        services.expenditure_record(
            by=staff_user, budget_line=line, spent_on=datetime.date(2025, 12, 31), amount=Decimal("5"), purpose="x"
        )


def test_bad_amount_is_refused_in_chinese_and_nothing_saved(client, staff_user, line):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    before = Expenditure.objects.count()
    response = client.post(
        reverse("funding:expenditure_add", args=[line.pk]),
        {"spent_on": "2026-05-05", "amount": "-3", "purpose": "茶水"},
    )
    assert response.status_code == 200
    assert "0.01" in response.content.decode()
    assert 'value="茶水"' in response.content.decode()
    assert Expenditure.objects.count() == before


def test_the_database_refuses_a_negative_amount(line, staff_user):
    with pytest.raises(IntegrityError):
        Expenditure.objects.create(
            street=line.street,
            budget_line=line,
            spent_on=datetime.date(2026, 1, 2),
            amount=-1,
            purpose="x",
            recorded_by=staff_user,
        )


def test_deleting_an_expenditure_asks_first(client, staff_user, line):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    expenditure = line.expenditures.first()
    url = reverse("funding:expenditure_delete", args=[expenditure.pk])
    assert "确认删除" in client.get(url).content.decode()
    assert Expenditure.objects.filter(pk=expenditure.pk).exists()
    client.post(url)
    assert not Expenditure.objects.filter(pk=expenditure.pk).exists()


def test_city_users_read_but_do_not_record(line):
    city = User.objects.get(username="xiangxiang_city")
    with pytest.raises(PermissionDenied):
        services.expenditure_record(
            by=city, budget_line=line, spent_on=datetime.date(2026, 3, 1), amount=Decimal("1"), purpose="x"
        )


def test_funding_seed_is_idempotent(demo_data):
    from committee.funding import demo

    before = list(Expenditure.objects.order_by("pk").values_list("pk", "amount", "spent_on", "purpose"))
    demo.seed()
    assert list(Expenditure.objects.order_by("pk").values_list("pk", "amount", "spent_on", "purpose")) == before


def test_funding_pages_have_a_fixed_query_count(client, staff_user, line, django_assert_num_queries):
    client.force_login(staff_user, backend="committee.auth.MobileOrUsernameBackend")
    client.get(reverse("funding:overview"))
    with django_assert_num_queries(5):
        client.get(reverse("funding:overview"), {"year": 2026})
    with django_assert_num_queries(6):
        client.get(reverse("funding:line_detail", args=[line.pk]))

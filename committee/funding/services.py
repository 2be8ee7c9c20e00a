"""Writes to the committee's funding (Art 22)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committee.funding.models import BudgetLine, Expenditure
from committee.models import Street, User
from committee.permissions import require
from committee.roles import Capability


@transaction.atomic
def budget_line_set(
    *, by: User, street: Street, year: int, category: str, source: str, amount: Decimal, note: str = ""
) -> BudgetLine:
    """Create or correct the budget of one category for one year."""
    require(by, Capability.MANAGE_FUNDING, street)
    line = BudgetLine.objects.select_for_update().filter(street=street, year=year, category=category).first()
    line = line or BudgetLine(street=street, year=year, category=category)
    line.source, line.amount, line.note = source, amount, note
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def expenditure_record(
    *,
    by: User,
    budget_line: BudgetLine,
    spent_on: datetime.date,
    amount: Decimal,
    purpose: str,
    voucher_no: str = "",
) -> Expenditure:
    require(by, Capability.MANAGE_FUNDING, budget_line.street)
    if spent_on.year != budget_line.year:
        raise ValidationError(_("支出日期须在预算年度（%(year)d年）内。") % {"year": budget_line.year})
    expenditure = Expenditure(
        street=budget_line.street,
        budget_line=budget_line,
        spent_on=spent_on,
        amount=amount,
        purpose=purpose,
        voucher_no=voucher_no,
        recorded_by=by,
    )
    expenditure.full_clean()
    expenditure.save()
    return expenditure


@transaction.atomic
def expenditure_delete(*, by: User, expenditure: Expenditure) -> None:
    """Remove a wrongly recorded expenditure; the audit log keeps what it was."""
    require(by, Capability.MANAGE_FUNDING, expenditure.street)
    expenditure.delete()

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.funding import selectors, services
from committee.funding.forms import BudgetLineForm, ExpenditureForm
from committee.funding.models import BudgetLine, Expenditure
from committee.models import Street
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def overview(request):
    streets = streets_where(request.user, Capability.VIEW_FUNDING)
    year = _year(request)
    lines = list(selectors.lines_for_year(request.user, streets, year))
    for line in lines:
        line.balance = line.amount - line.spent
    can_manage = any(request.user.has_capability(Capability.MANAGE_FUNDING, s) for s in streets)
    return render(
        request,
        "funding/overview.html",
        {"lines": lines, "year": year, "years": range(year - 2, year + 2), "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
def line_set(request):
    streets = streets_where(request.user, Capability.MANAGE_FUNDING)
    form = BudgetLineForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_set(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存 %(line)s 的预算。") % {"line": line})
            return redirect(f"{reverse('funding:overview')}?year={line.year}")
    return render(request, "funding/form.html", {"form": form, "title": _("登记经费预算")})


def line_detail(request, pk):
    line = get_for_user(selectors.budget_lines(BudgetLine.objects), request.user, Capability.VIEW_FUNDING, pk=pk)
    line.balance = line.amount - line.spent
    page = paginate(request, line.expenditures.select_related("recorded_by"))
    return render(
        request,
        "funding/line_detail.html",
        {"line": line, "page": page, "can_manage": request.user.has_capability(Capability.MANAGE_FUNDING, line.street)},
    )


@require_http_methods(["GET", "POST"])
def expenditure_add(request, pk):
    line = get_for_user(BudgetLine.objects.select_related("street"), request.user, Capability.MANAGE_FUNDING, pk=pk)
    form = ExpenditureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.expenditure_record(by=request.user, budget_line=line, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记支出。"))
            return redirect("funding:line_detail", pk=line.pk)
    return render(request, "funding/form.html", {"form": form, "title": _("登记支出 · %(line)s") % {"line": line}})


@require_http_methods(["GET", "POST"])
def expenditure_delete(request, pk):
    expenditure = get_for_user(
        Expenditure.objects.select_related("budget_line", "street"), request.user, Capability.MANAGE_FUNDING, pk=pk
    )
    if request.method == "POST":
        services.expenditure_delete(by=request.user, expenditure=expenditure)
        messages.success(request, _("已删除支出记录。"))
        return redirect("funding:line_detail", pk=expenditure.budget_line_id)
    return render(request, "funding/expenditure_delete.html", {"expenditure": expenditure})

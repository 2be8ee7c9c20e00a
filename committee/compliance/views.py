import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.compliance import registry, selectors
from committee.models import Street
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability


def _period(request) -> tuple[int, int]:
    """The year and quarter chosen on the page (this quarter by default)."""
    year, quarter = selectors.quarter_of(timezone.localdate())
    raw_year, raw_quarter = request.GET.get("year", ""), request.GET.get("quarter", "")
    if raw_year.isdigit() and 2025 <= int(raw_year) <= 2100:
        year = int(raw_year)
    if raw_quarter in {"1", "2", "3", "4"}:
        quarter = int(raw_quarter)
    return year, quarter


def _context(request, streets):
    year, quarter = _period(request)
    today = timezone.localdate()
    return {
        "streets": streets,
        "rows": selectors.grid(streets, year, quarter, today),
        "year": year,
        "quarter": quarter,
        "years": range(2025, today.year + 2),
        "today": today,
    }


def dashboard(request):
    streets = streets_where(request.user, Capability.VIEW_DASHBOARD)
    return render(request, "compliance/dashboard.html", _context(request, streets))


def street(request, pk):
    street = get_for_user(Street.objects.select_related("municipality"), request.user, Capability.VIEW_DASHBOARD, pk=pk)
    context = _context(request, [street])
    context["street"] = street
    context["trend"] = selectors.trend([street], context["year"], context["today"])
    return render(request, "compliance/street.html", context)


def cell(request, pk, rule_id):
    street = get_for_user(Street.objects.all(), request.user, Capability.VIEW_DASHBOARD, pk=pk)
    try:
        rule = registry.rule(rule_id)
    except KeyError:
        raise Http404 from None
    year, quarter = _period(request)
    window = registry.window(rule.period, year, quarter)
    result = rule.evaluate([street], window, timezone.localdate())[street.pk]
    return render(
        request,
        "compliance/cell.html",
        {"street": street, "rule": rule, "window": window, "result": result, "year": year, "quarter": quarter},
    )


def export_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    streets = streets_where(request.user, Capability.VIEW_DASHBOARD)
    context = _context(request, streets)
    fills = {"met": "C6EFCE", "at_risk": "FFEB9C", "missed": "FFC7CE", "not_yet_due": "EDEDED"}
    book = Workbook()
    sheet = book.active
    sheet.title = _("%(y)d年第%(q)d季度") % {"y": context["year"], "q": context["quarter"]}
    sheet.append([_("条款"), _("要求"), _("考核周期"), *[s.name for s in streets]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in context["rows"]:
        results = [result for _street, result in row.cells]
        sheet.append(
            [row.rule.label, str(row.rule.description), row.window.label]
            + [f"{r.status.label}：{r.summary}" for r in results]
        )
        for cell, result in zip(sheet[sheet.max_row][3:], results, strict=True):
            cell.fill = PatternFill("solid", fgColor=fills[result.status])
            cell.alignment = Alignment(wrap_text=True)
    for column, width in zip("ABC", (8, 48, 18), strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{context["year"]}Q{context["quarter"]}.xlsx"'
    return response


def export_pdf(request):
    from committee.documents.rendering import render_pdf

    streets = streets_where(request.user, Capability.VIEW_DASHBOARD)
    context = _context(request, streets)
    html_context = {**context, "generated_at": timezone.localtime(), "user": request.user}
    pdf = render_pdf("compliance/report.html", html_context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{context["year"]}Q{context["quarter"]}.pdf"'
    return response

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from committee.compliance import registry, selectors, services
from committee.compliance.models import Export
from committee.documents.models import DocumentState
from committee.models import Street
from committee.pages import paginate
from committee.permissions import get_for_user, street_refs_holding, streets_where
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


STATUS_FILTERS = {
    "missed": _l("有未达标项"),
    "at_risk": _l("有风险项"),
    "met": _l("无未达标、无风险"),
}
SORTS = {"street": _l("按街道"), "shortfalls": _l("按未达标、有风险项数")}


def _street_filters(request, streets) -> tuple[list, dict]:
    """The streets the filters keep (?municipality=, ?status= with an optional ?rule=), and the filters' state."""
    municipalities = list({street.municipality_id: street.municipality for street in streets}.values())
    chosen = request.GET.get("municipality", "")
    if chosen.isdigit() and any(m.pk == int(chosen) for m in municipalities):
        streets = [street for street in streets if street.municipality_id == int(chosen)]
    else:
        chosen = ""
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    rule_id = request.GET.get("rule", "")
    rule_id = rule_id if rule_id in {rule.id for rule in registry.rules()} else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "street"
    return streets, {
        "municipalities": municipalities,
        "municipality": chosen,
        "status": status,
        "statuses": STATUS_FILTERS,
        "rule_id": rule_id,
        "sort": sort,
        "sorts": SORTS,
    }


def dashboard(request):
    """Few streets: rules × streets as columns. Many: per-article totals, then streets as rows grouped by
    municipality, filtered, sorted and paginated: from the cached grid of all the person's streets in brief
    (`selectors.Overview`), the results of the 25 rows shown only."""
    readable = street_refs_holding(request.user, Capability.VIEW_DASHBOARD)[Capability.VIEW_DASHBOARD]
    if not readable:
        raise PermissionDenied
    streets, filters = _street_filters(request, readable)
    arranging = {"status": filters["status"], "rule_id": filters["rule_id"], "sort": filters["sort"]}
    year, quarter = _period(request)
    today = timezone.localdate()
    context = {
        "streets": streets,
        "year": year,
        "quarter": quarter,
        "years": range(2025, today.year + 2),
        "today": today,
        "columns": selectors.as_columns(streets),
    } | filters
    if context["columns"]:
        rows = selectors.grid(streets, year, quarter, today)
        kept = selectors.arrange(rows, **arranging)
        context["streets"], context["rows"] = selectors.columns_of(rows, kept)
        context["street_rows"] = kept
    else:
        overview = selectors.Overview(
            readable, year, quarter, today, within=streets if filters["municipality"] else None
        )
        context["rows"] = overview.rows
        context["page"] = paginate(request, overview.arrange(**arranging))
        overview.fill(context["page"].object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "compliance/dashboard.html", context)


def street(request, pk):
    street = get_for_user(Street.objects.select_related("municipality"), request.user, Capability.VIEW_DASHBOARD, pk=pk)
    context = _context(request, [street])
    context["street"] = street
    context["trend"] = selectors.trend([street], context["year"], context["today"])
    return render(request, "compliance/street.html", context)


def cell(request, pk, rule_id):
    """One street's cell: the rule's summary and the records behind it (its evidence part)."""
    street = get_for_user(Street.objects.all(), request.user, Capability.VIEW_DASHBOARD, pk=pk)
    try:
        rule = registry.rule(rule_id)
    except KeyError:
        raise Http404 from None
    year, quarter = _period(request)
    today = timezone.localdate()
    window = registry.window(rule.period, year, quarter)
    result = rule.evaluate([street], window, today)[street.pk]
    return render(
        request,
        "compliance/cell.html",
        {
            "street": street,
            "rule": rule,
            "window": window,
            "result": result,
            "evidence": rule.list_evidence(street, window, today),
            "year": year,
            "quarter": quarter,
        },
    )


def export_xlsx(request):
    """The dashboard as shown (period and filters) in a workbook: rules × streets for a few streets, streets ×
    rules (with their counts of 未达标 / 有风险) for many. Built in the request: no rendering, no evidence."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    streets, filters = _street_filters(request, streets_where(request.user, Capability.VIEW_DASHBOARD))
    context = _context(request, streets)
    kept = selectors.arrange(
        context["rows"], status=filters["status"], rule_id=filters["rule_id"], sort=filters["sort"]
    )
    fills = {"met": "C6EFCE", "at_risk": "FFEB9C", "missed": "FFC7CE", "not_yet_due": "EDEDED"}
    book = Workbook()
    sheet = book.active
    sheet.title = _("%(y)d年第%(q)d季度") % {"y": context["year"], "q": context["quarter"]}

    def append(values: list, results: list, skip: int) -> None:
        sheet.append(values + [f"{r.status.label}：{r.summary}" for r in results])
        for cell, result in zip(sheet[sheet.max_row][skip:], results, strict=True):
            cell.fill = PatternFill("solid", fgColor=fills[result.status])
            cell.alignment = Alignment(wrap_text=True)

    if selectors.as_columns(streets):
        shown, rows = selectors.columns_of(context["rows"], kept)
        sheet.append([_("条款"), _("要求"), _("考核周期"), *[s.name for s in shown]])
        for row in rows:
            append([row.rule.label, str(row.rule.description), row.window.label], [r for _s, r in row.cells], 3)
        widths = (8, 48, 18)
    else:
        sheet.append([_("市"), _("街道"), _("未达标"), _("有风险"), *[row.rule.label for row in context["rows"]]])
        for street_row in kept:
            street = street_row.street
            values = [street.municipality.name, street.name, street_row.missed, street_row.at_risk]
            append(values, [r for _rule, r in street_row.cells], 4)
        widths = (10, 16, 8, 8)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", widths, strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="dashboard-{context["year"]}Q{context["quarter"]}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def export_pdf(request):
    """GET: the person's recent PDF exports (state, progress, download). POST: ask for the dashboard as shown (period
    and filters) — a row the worker renders; the page polls it. No request renders a PDF."""
    streets, filters = _street_filters(request, streets_where(request.user, Capability.VIEW_DASHBOARD))
    year, quarter = _period(request)
    if request.method == "POST":
        chosen = {key: filters[name] for key, name in EXPORT_FILTERS.items() if filters[name]}
        services.export_request(by=request.user, streets=streets, year=year, quarter=quarter, filters=chosen)
        messages.success(request, _("已开始生成 PDF，完成后可在此下载。"))
        return redirect("compliance:export_pdf")
    exports = Export.objects.filter(requested_by=request.user)[:EXPORTS_SHOWN]
    return render(request, "compliance/exports.html", {"exports": exports, "year": year, "quarter": quarter})


EXPORT_FILTERS = {"municipality": "municipality", "status": "status", "rule": "rule_id", "sort": "sort"}
EXPORTS_SHOWN = 10


def _export_for(request, pk) -> Export:
    """Exports are their requester's own: anyone else's is a 404."""
    streets_where(request.user, Capability.VIEW_DASHBOARD)  # 403 for people without the dashboard
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


def export_status(request, pk):
    """One export's row: htmx polls it while the worker renders."""
    return render(request, "compliance/_export_row.html", {"export": _export_for(request, pk)})


def export_download(request, pk):
    export = _export_for(request, pk)
    if export.state != DocumentState.DONE:
        raise Http404
    response = FileResponse(export.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{export.year}Q{export.quarter}.pdf"'
    return response

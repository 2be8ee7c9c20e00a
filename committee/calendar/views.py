from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.calendar import selectors, services
from committee.calendar.forms import ArrangementForm
from committee.calendar.models import FIRST_YEAR, CalendarYear
from committee.pages import add_validation_error
from committee.workdays import Source, year_source

# Every signed-in person may read the calendar (it is the State Council's public notice, the same for every street);
# only the people who run the installation enter it (services.can_manage).


def year_list(request):
    today = timezone.localdate()
    entered = {a.year: a for a in CalendarYear.objects.select_related("entered_by", "updated_by")}
    years = sorted(set(range(today.year - 1, services.last_enterable_year(today) + 1)) | set(entered), reverse=True)
    return render(
        request,
        "calendar/year_list.html",
        {
            "rows": [(year, year_source(year, entered), entered.get(year)) for year in years],
            "can_manage": services.can_manage(request.user),
            "Source": Source,
        },
    )


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= services.last_enterable_year(timezone.localdate()):
        raise Http404
    return year


def year_detail(request, year):
    year = _year(year)
    arrangement = CalendarYear.objects.select_related("entered_by", "updated_by").filter(year=year).first()
    days = list(arrangement.days.all()) if arrangement else None
    cal, names = selectors.year_calendar(year, days)
    grid = selectors.months(year, cal, names)
    can_manage = services.can_manage(request.user)
    return render(
        request,
        "calendar/year_detail.html",
        {
            "year": year,
            "arrangement": arrangement,
            "source": year_source(year, {year} if arrangement else set()),
            "Source": Source,
            "grid": grid,
            "periods": selectors.periods(grid),
            "weekdays": selectors.WEEKDAY_LABELS,
            "can_manage": can_manage,
            "history": list(selectors.history(arrangement)[:50]) if arrangement and can_manage else [],
            "actions": selectors.ACTIONS,
        },
    )


@require_http_methods(["GET", "POST"])
def year_edit(request, year):
    """Enter or correct a year's arrangement in two steps: "预览" shows the resulting calendar month by month (and,
    when one is entered already, what replacing it changes); "确认保存" saves exactly what was previewed."""
    if not services.can_manage(request.user):
        raise PermissionDenied
    year = _year(year)
    current = CalendarYear.objects.select_related("entered_by", "updated_by").filter(year=year).first()
    # The form never saves its instance (the service does): a blank one, so `current` stays as it is in the database.
    form = ArrangementForm(request.POST or None, instance=current if request.method == "GET" else None, year=year)
    preview = None
    if request.method == "POST" and form.is_valid():
        digest = form.digest()
        if request.POST.get("confirm") and request.POST.get("preview_digest") == digest:
            try:
                services.arrangement_save(by=request.user, year=year, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("已保存%(year)d年节假日安排，期限计算即时按新安排执行。") % {"year": year})
                return redirect("calendar:year_detail", year=year)
        else:
            if request.POST.get("confirm"):
                messages.warning(request, _("预览之后内容有改动，请核对下面新的预览后再确认保存。"))
            days_off, make_up = form.cleaned_data["days_off"], form.cleaned_data["make_up_workdays"]
            grid = selectors.months(year, *selectors.candidate_calendar(year, days_off, make_up))
            preview = {
                "digest": digest,
                "grid": grid,
                "periods": selectors.periods(grid),
                "changes": selectors.changes(current, days_off, make_up) if current else None,
            }
    return render(
        request,
        "calendar/year_form.html",
        {"year": year, "form": form, "current": current, "preview": preview, "weekdays": selectors.WEEKDAY_LABELS},
    )

import base64
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.models import Membership, Street, User
from committee.pages import add_validation_error, paginate
from committee.permissions import streets_where
from committee.public import TOO_MANY_MESSAGE, too_many
from committee.roles import Capability, Role
from livelihood_votes.governance import selectors, services
from livelihood_votes.governance.forms import HotlineRatingForm, HotlineReportForm, OutcomeForm, SnapshotForm
from livelihood_votes.governance.models import HotlineReport, Snapshot
from supervision.models import Rating

# --- 随手拍 -------------------------------------------------------------------------------------------------


def _qr_data_uri(url: str) -> str:
    import qrcode

    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_not_required
@require_http_methods(["GET", "POST"])
def snapshot(request, slug):
    """The street's 随手拍 page (its QR code): photos, place, category, description; no account needed."""
    street = get_object_or_404(Street, slug=slug)
    form = SnapshotForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if too_many(request, "governance.snapshot"):
            form.is_valid()
            form.add_error(None, TOO_MANY_MESSAGE)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item = services.snapshot_submit(
                    street=street,
                    photos=data["photos"],
                    place=data["place"],
                    category=data["category"],
                    description=data["description"],
                    name=data["name"],
                    phone=data["phone"],
                    latitude=data["latitude"],
                    longitude=data["longitude"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("已提交。请记下查询码 %(code)s，凭它查看办理进展和答复并评价。")
                    % {"code": item.opinion.tracking_code},
                )
                return redirect("supervision:track", code=item.opinion.tracking_code)
    return render(request, "governance/snapshot.html", {"street": street, "form": form})


def snapshot_list(request):
    """Staff: the street's 随手拍 (newest first) and the QR code to print for the street's public page."""
    streets = streets_where(request.user, Capability.VIEW_OPINIONS)
    items = (
        Snapshot.objects.filter(street__in=streets)
        .select_related("street", "opinion")
        .annotate(photos=Count("opinion__attachments"))
        .order_by("-created_at", "-pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(Q(place__icontains=query) | Q(opinion__content__icontains=query))
    codes = [
        (street, _qr_data_uri(settings.SITE_URL + reverse("governance:snapshot", args=[street.slug])))
        for street in streets[:1]
        if len(streets) == 1
    ]
    return render(
        request, "governance/snapshot_list.html", {"page": paginate(request, items), "q": query, "codes": codes}
    )


# --- 12345 ----------------------------------------------------------------------------------------------------


def _reporting_streets(user: User) -> list[Street]:
    """Streets where the user records 12345 reports: staff (MANAGE_OPINIONS) or a deputy for themself."""
    deputy_in = {m.street_id for m in user.active_memberships if m.role == Role.DEPUTY}
    return [
        street
        for street in Street.objects.for_user(user)
        if street.pk in deputy_in or user.has_capability(Capability.MANAGE_OPINIONS, street)
    ]


def hotline_list(request):
    """Staff: the street's 12345 reports with the figures per street; a deputy: their own."""
    streets = selectors.reading_streets(request.user)
    if not streets:
        streets_where(request.user, Capability.RAISE_OPINIONS)  # a deputy's own reports; 403 for anyone else
    reports = selectors.visible_hotline_reports(request.user, streets)
    reports = reports.select_related("street", "deputy", "opinion")
    query = request.GET.get("q", "").strip()
    if query:
        reports = reports.filter(Q(ticket_number__icontains=query) | Q(content__icontains=query))
    return render(
        request,
        "governance/hotline_list.html",
        {
            "page": paginate(request, reports),
            "q": query,
            "figures": selectors.hotline_figures(streets),
            "can_add": bool(_reporting_streets(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def hotline_add(request):
    streets = _reporting_streets(request.user)
    if not streets:
        raise PermissionDenied
    managed = [s for s in streets if request.user.has_capability(Capability.MANAGE_OPINIONS, s)]
    deputy_rows = Membership.objects.active().filter(role=Role.DEPUTY)
    deputies = User.objects.filter(
        Q(pk__in=deputy_rows.filter(street__in=managed).values("user_id"))
        | Q(pk__in=deputy_rows.filter(user=request.user).values("user_id"))
    ).order_by("full_name", "pk")
    form = HotlineReportForm(request.POST or None, deputies=deputies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        street = _street_for(request.user, data["deputy"], streets)
        try:
            report = services.hotline_report_record(by=request.user, street=street, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记12345反映，工委将跟踪办理。"))
            return redirect(report)
    return render(request, "governance/hotline_form.html", {"form": form})


def _street_for(user: User, deputy: User, streets: list[Street]) -> Street:
    """The street of the report: the deputy's street among those the user records in."""
    membership = (
        Membership.objects.active().filter(user=deputy, role=Role.DEPUTY, street__in=streets).order_by("pk").first()
    )
    if membership is None:
        raise PermissionDenied
    return membership.street


@require_http_methods(["GET", "POST"])
def hotline_detail(request, pk):
    report = get_object_or_404(
        HotlineReport.objects.for_user(request.user).select_related("street", "deputy", "opinion", "recorded_by"),
        pk=pk,
    )
    if not selectors.visible_hotline_reports(request.user).filter(pk=report.pk).exists():
        raise PermissionDenied
    is_deputy = report.deputy_id == request.user.pk
    can_outcome = is_deputy or request.user.has_capability(Capability.MANAGE_OPINIONS, report.street)
    outcome_form = OutcomeForm(request.POST if request.POST.get("action") == "outcome" else None)
    rating_form = HotlineRatingForm(request.POST if request.POST.get("action") == "rate" else None)
    if request.method == "POST":
        if outcome_form.is_bound and not can_outcome:
            raise PermissionDenied
        try:
            if outcome_form.is_bound and outcome_form.is_valid():
                services.hotline_outcome_record(by=request.user, report=report, **outcome_form.cleaned_data)
                messages.success(request, _("已记录12345办理结果。"))
                return redirect(report)
            if rating_form.is_bound and rating_form.is_valid():
                services.hotline_rate(by=request.user, report=report, rating=rating_form.cleaned_data["rating"])
                messages.success(request, _("已评价。"))
                return redirect(report)
            if not (outcome_form.is_bound or rating_form.is_bound):
                raise PermissionDenied
        except ValidationError as error:
            add_validation_error(outcome_form if outcome_form.is_bound else rating_form, error)
    return render(
        request,
        "governance/hotline_detail.html",
        {
            "report": report,
            "outcome_form": outcome_form if can_outcome else None,
            "rating_form": rating_form if is_deputy and report.outcome_on else None,
            "Rating": Rating,
        },
    )


# --- The street's public page ---------------------------------------------------------------------------------


@login_not_required
def street_public(request, slug):
    """The committee's public face (Art 19, 4(6)): who it is, its deputies (their 码上找代表 pages), this year's
    livelihood projects with their state, published ballot results, and the links to write, snap or track. Only
    what is public: no phone number, no case. Plain HTML, a fixed number of queries."""
    street = get_object_or_404(Street.objects.select_related("committee"), slug=slug)
    return render(request, "governance/street_public.html", {"street": street, **selectors.public_face(street)})

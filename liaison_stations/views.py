"""Staff pages of the station network and receptions, the deputy's visitor register on a phone, and the public
station page (no login) whose messages open cases in the loop."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.documents.rendering import qr_data_uri
from committee.models import Membership, User
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_holding, streets_where
from committee.public import TOO_MANY_MESSAGE, too_many
from committee.roles import COMMITTEE_ROLES, Capability, Role
from liaison_stations import selectors, services
from liaison_stations.forms import MessageForm, ReceptionForm, ReportForm, StationForm, StationRoleForm, VisitForm
from liaison_stations.models import LiaisonStation, ReceiverKind, Reception, Visit
from supervision.selectors import opinions_for_source

# --- Stations (staff, city read-only) --------------------------------------------------------------------


def station_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    query = request.GET.get("q", "").strip()
    stations = selectors.search_stations(
        LiaisonStation.objects.for_user(request.user).filter(street__in=streets).select_related("street"), query
    )
    return render(
        request,
        "stations/station_list.html",
        {
            "page": paginate(request, stations.order_by("street", "kind", "name", "pk")),
            "query": query,
            "manage_streets": [s for s in streets if request.user.has_capability(Capability.MANAGE_STATIONS, s)],
            "many_streets": len(streets) > 1,
        },
    )


def station_detail(request, pk):
    station = get_for_user(
        LiaisonStation.objects.select_related("street"), request.user, Capability.VIEW_STATIONS, pk=pk
    )
    can_manage = request.user.has_capability(Capability.MANAGE_STATIONS, station.street)
    role_form = StationRoleForm(people=_street_people(station.street)) if can_manage else None
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "can_manage": can_manage,
            "roles": station.roles.select_related("person"),
            "deputies": station.deputies.select_related("user"),
            "upcoming": station.receptions.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:5],
            "figures": selectors.station_figures(station),
            "role_form": role_form,
        },
    )


def _street_people(street):
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(street=street, role__in=[*COMMITTEE_ROLES, Role.DEPUTY])
        .values("user_id")
    ).order_by("full_name")


@require_http_methods(["GET", "POST"])
def station_form(request, pk=None, street_pk=None):
    if pk is not None:
        station = get_for_user(
            LiaisonStation.objects.select_related("street"), request.user, Capability.MANAGE_STATIONS, pk=pk
        )
        street = station.street
    else:
        station = None
        streets = streets_where(request.user, Capability.MANAGE_STATIONS)
        street = next((s for s in streets if str(s.pk) == request.GET.get("street", "")), streets[0])
    form = StationForm(request.POST or None, instance=station, street=street)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            station = services.station_save(
                by=request.user, street=street, station=station, deputies=data.pop("deputies"), **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(station)
    title = _("修改联络站") if station else _("新增联络站（%(s)s）") % {"s": street.name}
    return render(request, "stations/form.html", {"form": form, "title": title, "back": station})


@require_http_methods(["POST"])
def role_add(request, pk):
    station = get_for_user(
        LiaisonStation.objects.select_related("street"), request.user, Capability.MANAGE_STATIONS, pk=pk
    )
    form = StationRoleForm(request.POST, people=_street_people(station.street))
    if form.is_valid():
        try:
            services.station_role_add(by=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已登记职务。"))
    else:
        messages.error(request, _("请填写职务、人员和起始日期。"))
    return redirect(station)


# --- Receptions ------------------------------------------------------------------------------------------


def reception_list(request):
    """Staff and city: the receptions of their streets; a deputy: the receptions they are on."""
    readable = streets_holding(request.user, Capability.VIEW_STATIONS)
    receptions = Reception.objects.for_user(request.user).filter(
        Q(street__in=readable) | Q(pk__in=selectors.my_reception_ids(request.user))
    )
    query = request.GET.get("q", "").strip()
    if query:
        receptions = receptions.filter(Q(theme__icontains=query) | Q(station__name__icontains=query))
    return render(
        request,
        "stations/reception_list.html",
        {"page": paginate(request, selectors.reception_rows(receptions).order_by("-starts_at", "-pk")), "query": query},
    )


def _reception(request, pk) -> Reception:
    """A reception for a reader: staff and city of its street, or one of its receivers; anyone else 404."""
    reception = get_object_or_404(Reception.objects.for_user(request.user).select_related("station", "street"), pk=pk)
    if not (
        request.user.has_capability(Capability.VIEW_STATIONS, reception.street)
        or reception.receivers.filter(person=request.user).exists()
    ):
        raise PermissionDenied
    return reception


def reception_detail(request, pk):
    reception = _reception(request, pk)
    counts = selectors.composition_counts(reception)
    return render(
        request,
        "stations/reception_detail.html",
        {
            "reception": reception,
            "receivers": reception.receivers.all(),
            "composition": [
                (ReceiverKind(kind).label, need, counts.get(kind, 0))
                for kind, need in settings.STATIONS_RECEPTION_COMPOSITION.items()
            ],
            "composition_met": selectors.composition_met(counts),
            "visits": reception.visits.select_related("opinion"),
            "opinions": opinions_for_source(reception),
            "can_manage": request.user.has_capability(Capability.MANAGE_STATIONS, reception.street),
            "can_register": services.may_register_visits(request.user, reception),
        },
    )


@require_http_methods(["GET", "POST"])
def reception_add(request, pk):
    station = get_for_user(
        LiaisonStation.objects.select_related("street"), request.user, Capability.MANAGE_STATIONS, pk=pk
    )
    deputies = services.deputies_of(station.street)
    cadres = _street_people(station.street).filter(
        pk__in=Membership.objects.active().filter(street=station.street, role__in=COMMITTEE_ROLES).values("user_id")
    )
    form = ReceptionForm(request.POST or None, deputies=deputies, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reception = services.reception_plan(
                by=request.user,
                station=station,
                starts_at=data["starts_at"],
                theme=data["theme"],
                themed_activity=data["themed_activity"],
                deputies=data["deputies"],
                cadres=data["cadres"],
                officials=form.officials(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已安排接待日，接待人员将提前收到通知。"))
            return redirect(reception)
    return render(
        request, "stations/form.html", {"form": form, "title": _("安排接待日：%(s)s") % {"s": station}, "back": station}
    )


@require_http_methods(["GET", "POST"])
def visit_add(request, pk):
    """The visitor register on the day, phone first: one visitor a form, answered or passed into the loop."""
    reception = _reception(request, pk)
    if not services.may_register_visits(request.user, reception):
        raise PermissionDenied
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        handling = data.pop("handling")
        try:
            visit = services.visit_register(
                by=request.user, reception=reception, pass_to_loop=handling == "loop", **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if visit.opinion_id:
                messages.success(
                    request,
                    _("已转入意见建议办理，请告知来访人查询码 %(code)s。") % {"code": visit.opinion.tracking_code},
                )
            else:
                messages.success(request, _("已登记当场答复。"))
            return redirect(reception)
    return render(request, "stations/visit_form.html", {"form": form, "reception": reception})


@require_http_methods(["GET", "POST"])
def reception_report(request, pk):
    reception = _reception(request, pk)
    if not request.user.has_capability(Capability.MANAGE_STATIONS, reception.street):
        raise PermissionDenied
    receivers = list(reception.receivers.all())
    initial = {"summary": reception.summary, "attended": [str(r.pk) for r in receivers if r.attended is not False]}
    form = ReportForm(request.POST or None, receivers=receivers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_report(
                by=request.user,
                reception=reception,
                summary=form.cleaned_data["summary"],
                attended={int(pk) for pk in form.cleaned_data["attended"]},
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记接待小结和到场情况。"))
            return redirect(reception)
    return render(request, "stations/form.html", {"form": form, "title": _("接待小结与到场情况"), "back": reception})


def visit_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    visits = Visit.objects.for_user(request.user).filter(street__in=streets)
    query = request.GET.get("q", "").strip()
    if query:
        visits = visits.filter(Q(name__icontains=query) | Q(matter__icontains=query) | Q(category__icontains=query))
    visits = visits.select_related("reception__station", "opinion").order_by("-registered_at", "-pk")
    return render(request, "stations/visit_list.html", {"page": paginate(request, visits), "query": query})


# --- Public station page (no login) ----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def public(request, code):
    station = get_object_or_404(LiaisonStation.objects.select_related("street"), public_code=code)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if too_many(request, "stations.message"):
            form.is_valid()
            form.add_error(None, TOO_MANY_MESSAGE)
        elif form.is_valid():
            try:
                opinion = services.station_message(
                    station=station, **{k: form.cleaned_data[k] for k in ("content", "name", "phone")}
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("留言已送达联络站。请记下查询码 %(code)s，凭它查看办理情况。") % {"code": opinion.tracking_code},
                )
                return redirect("supervision:track", code=opinion.tracking_code)
    upcoming = (
        station.receptions.filter(starts_at__gte=timezone.now()).order_by("starts_at").prefetch_related("receivers")[:3]
    )
    return render(
        request,
        "stations/public.html",
        {
            "station": station,
            "form": form,
            "upcoming": upcoming,
            "qr": qr_data_uri(settings.SITE_URL + station.public_url()),
        },
    )

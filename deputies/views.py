"""The roster for staff (list, detail, create/edit, term events, constituencies, Excel import/export), the deputy's
own profile and residents' messages, and the public 码上找代表 pages (no login)."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.models import Street
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, require, streets_holding, streets_where
from committee.public import TOO_MANY_MESSAGE, too_many
from committee.roles import Capability
from deputies import selectors, services
from deputies.forms import (
    AnswerForm,
    ConstituencyForm,
    DeputyAddForm,
    DeputyFields,
    ImportForm,
    MessageForm,
    ProfileForm,
    RatingForm,
    TermEventForm,
)
from deputies.models import Constituency, Deputy, EndReason, Level, PosterBatch, PosterState, ResidentMessage
from deputies.roster_excel import Action, roster_plan, roster_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_SALT = "deputies.import"


def _streets(user, capability):
    return Street.objects.filter(pk__in=[s.pk for s in streets_where(user, capability)])


# --- Roster (staff) ----------------------------------------------------------------------------------------


def _filtered(request, streets):
    deputies = Deputy.objects.for_user(request.user).filter(street__in=streets)
    query = request.GET.get("q", "").strip()
    deputies = selectors.search(deputies, query)
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        deputies = deputies.filter(street_id=int(street_id))
    level = request.GET.get("level", "")
    if level in Level.values:
        deputies = deputies.filter(level=level)
    constituency = request.GET.get("constituency", "")
    if constituency.isdigit():
        deputies = deputies.filter(constituency_id=int(constituency))
    status = request.GET.get("status", "in_office")
    if status == "in_office":
        deputies = deputies.filter(end_reason="")
    elif status in EndReason.values:
        deputies = deputies.filter(end_reason=status)
    if request.GET.get("cadre") == "1":
        deputies = deputies.filter(leader_cadre=True)
    return deputies.order_by("street", "constituency__number", "user__full_name", "pk"), query, status


def roster(request):
    streets = streets_where(request.user, Capability.VIEW_DEPUTIES)
    deputies, query, status = _filtered(request, streets)
    page = paginate(request, selectors.roster_rows(deputies))
    return render(
        request,
        "deputies/roster.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "streets": streets,
            "levels": Level.choices,
            "end_reasons": EndReason.choices,
            "constituencies": Constituency.objects.filter(street__in=streets).select_related("street"),
            "can_manage": any(request.user.has_capability(Capability.MANAGE_DEPUTIES, s) for s in streets),
            "manage_street_ids": {s.pk for s in streets if request.user.has_capability(Capability.MANAGE_DEPUTIES, s)},
        },
    )


def export(request):
    """The filtered roster as the same .xlsx the import reads."""
    streets = streets_where(request.user, Capability.VIEW_DEPUTIES)
    deputies, _query, _status = _filtered(request, streets)
    response = HttpResponse(roster_workbook(selectors.roster_rows(deputies)), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E4%BB%A3%E8%A1%A8%E5%90%8D%E5%86%8C.xlsx"
    return response


def template(request):
    streets_where(request.user, Capability.MANAGE_DEPUTIES)
    response = HttpResponse(roster_workbook([]), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E4%BB%A3%E8%A1%A8%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


def detail(request, pk):
    deputy = get_for_user(
        Deputy.objects.select_related("user", "street", "constituency"), request.user, Capability.VIEW_DEPUTIES, pk=pk
    )
    return render(
        request,
        "deputies/detail.html",
        {
            "deputy": deputy,
            "events": deputy.events.select_related("recorded_by"),
            "can_manage": request.user.has_capability(Capability.MANAGE_DEPUTIES, deputy.street),
            "message_count": deputy.messages.count(),
        },
    )


@require_http_methods(["GET", "POST"])
def add(request):
    streets = _streets(request.user, Capability.MANAGE_DEPUTIES)
    form = DeputyAddForm(request.POST or None, request.FILES or None, streets=streets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deputy = services.deputy_add(
                by=request.user,
                street=data["street"],
                full_name=data["full_name"],
                mobile=data["mobile"],
                congress=data["congress"],
                elected_on=data["elected_on"],
                kind=data["kind"],
                level=data["level"],
                constituency=data["constituency"],
                sector=data["sector"],
                leader_cadre=data["leader_cadre"],
                reception_days=data["reception_days"],
                votes_for=data["votes_for"],
                votes_cast=data["votes_cast"],
                document=data["document"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已将 %(name)s 列入代表名册。") % {"name": deputy})
            return redirect(deputy)
    return render(request, "deputies/form.html", {"form": form, "title": _("新增代表")})


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    deputy = get_for_user(
        Deputy.objects.select_related("user", "street"), request.user, Capability.MANAGE_DEPUTIES, pk=pk
    )
    initial = {
        "full_name": deputy.user.full_name,
        "level": deputy.level,
        "constituency": deputy.constituency_id,
        "congress": deputy.congress,
        "sector": deputy.sector,
        "leader_cadre": deputy.leader_cadre,
        "reception_days": deputy.reception_days,
    }
    form = DeputyFields(request.POST or None, initial=initial, streets=[deputy.street])
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_update(by=request.user, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(deputy)
    return render(request, "deputies/form.html", {"form": form, "title": _("修改代表信息"), "deputy": deputy})


@require_http_methods(["GET", "POST"])
def event_add(request, pk):
    deputy = get_for_user(
        Deputy.objects.select_related("user", "street"), request.user, Capability.MANAGE_DEPUTIES, pk=pk
    )
    form = TermEventForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_event_record(by=request.user, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记任职变动。"))
            return redirect(deputy)
    return render(request, "deputies/form.html", {"form": form, "title": _("登记任职变动"), "deputy": deputy})


def event_document(request, pk, event_pk):
    deputy = get_for_user(Deputy.objects.all(), request.user, Capability.VIEW_DEPUTIES, pk=pk)
    event = get_object_or_404(deputy.events.exclude(document=""), pk=event_pk)
    return FileResponse(event.document.open("rb"), as_attachment=True, filename=event.document.name.rsplit("/", 1)[-1])


# --- Constituencies ----------------------------------------------------------------------------------------


def constituency_list(request):
    streets = streets_where(request.user, Capability.VIEW_DEPUTIES)
    rows = Constituency.objects.for_user(request.user).filter(street__in=streets).select_related("street")
    return render(
        request,
        "deputies/constituency_list.html",
        {
            "page": paginate(request, rows.order_by("street", "number")),
            "manage_street_ids": {s.pk for s in streets if request.user.has_capability(Capability.MANAGE_DEPUTIES, s)},
        },
    )


@require_http_methods(["GET", "POST"])
def constituency_form(request, pk=None):
    constituency = None
    if pk is not None:
        constituency = get_for_user(Constituency.objects.all(), request.user, Capability.MANAGE_DEPUTIES, pk=pk)
        streets = Street.objects.filter(pk=constituency.street_id)
        initial = {f: getattr(constituency, f) for f in ("number", "name", "communities", "voters")}
        initial["street"] = constituency.street_id
    else:
        streets, initial = _streets(request.user, Capability.MANAGE_DEPUTIES), {}
    form = ConstituencyForm(request.POST or None, initial=initial, streets=streets)
    if request.method == "POST" and form.is_valid():
        try:
            services.constituency_save(by=request.user, constituency=constituency, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存选区。"))
            return redirect("deputies:constituency_list")
    return render(request, "deputies/form.html", {"form": form, "title": _("选区")})


# --- Excel import -------------------------------------------------------------------------------------------


def _held_name(user, token: str) -> str:
    return f"held/{user.pk}/roster-{token}.xlsx"


@require_http_methods(["GET", "POST"])
def import_roster(request):
    """Upload → preview (each row create / update / unchanged / error, nothing written) → confirm (all or none)."""
    streets = _streets(request.user, Capability.MANAGE_DEPUTIES)
    form = ImportForm(request.POST or None, request.FILES or None, streets=streets)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _import_confirm(request, streets)
    if request.method == "POST" and form.is_valid():
        street = form.cleaned_data["street"]
        upload = form.cleaned_data["file"]
        try:
            plans = roster_plan(street, upload)
        except ValueError as error:
            form.add_error("file", str(error))
        else:
            token = secrets.token_hex(12)
            upload.seek(0)
            default_storage.save(_held_name(request.user, token), ContentFile(upload.read()))
            return render(
                request,
                "deputies/import_preview.html",
                {
                    "plans": plans,
                    "street": street,
                    "signed": signing.dumps([request.user.pk, street.pk, token], salt=IMPORT_SALT),
                    "errors": [p for p in plans if p.action == Action.ERROR],
                    "counts": {
                        a: sum(p.action == a for p in plans) for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)
                    },
                },
            )
    return render(request, "deputies/import.html", {"form": form})


def _import_confirm(request, streets):
    try:
        user_pk, street_pk, token = signing.loads(request.POST.get("signed", ""), salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("预览已过期，请重新上传。"))
        return redirect("deputies:import")
    street = get_object_or_404(streets, pk=street_pk)
    if user_pk != request.user.pk:
        raise PermissionDenied
    name = _held_name(request.user, token)
    if not default_storage.exists(name):
        messages.error(request, _("预览已过期，请重新上传。"))
        return redirect("deputies:import")
    with default_storage.open(name, "rb") as held:
        plans = roster_plan(street, held)
    try:
        counts = services.roster_import(by=request.user, street=street, plans=plans)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("deputies:import")
    default_storage.delete(name)
    messages.success(
        request,
        _("已导入：新增 %(c)s 人，更新 %(u)s 人，无变化 %(n)s 人。")
        % {"c": counts[Action.CREATE], "u": counts[Action.UPDATE], "n": counts[Action.UNCHANGED]},
    )
    return redirect("deputies:roster")


# --- The deputy's own pages ---------------------------------------------------------------------------------


def _own_deputy(user) -> Deputy:
    deputy = selectors.deputy_of(user)
    if deputy is None:
        raise Http404
    return deputy


@require_http_methods(["GET", "POST"])
def profile(request):
    """The deputy's own public profile: photo, short profile, reception days; a link to their QR page."""
    deputy = _own_deputy(request.user)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"profile": deputy.profile, "reception_days": deputy.reception_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.deputy_profile_update(by=request.user, deputy=deputy, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存，公开页面已更新。"))
            return redirect("deputies:profile")
    return render(request, "deputies/profile.html", {"form": form, "deputy": deputy})


def _manage_street_ids(user):
    return {s.pk for s in streets_holding(user, Capability.MANAGE_DEPUTIES)}


def message_list(request):
    """Residents' messages: a deputy's own, and for staff every deputy's of their streets. Waiting ones first."""
    manage = _manage_street_ids(request.user)
    if not manage and selectors.deputy_of(request.user) is None:
        raise PermissionDenied
    rows = selectors.messages_for(request.user, manage)
    state = request.GET.get("state", "")
    if state == "waiting":
        rows = rows.filter(answer="", opinion__isnull=True)
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(content__contains=query) | Q(tracking_code=query.upper()) | Q(deputy__user__full_name__contains=query)
        )
    return render(
        request,
        "deputies/message_list.html",
        {
            "page": paginate(request, rows.order_by("-created_at", "-pk")),
            "state": state,
            "query": query,
            "staff_view": bool(manage),
        },
    )


def _message(request, pk) -> ResidentMessage:
    message = get_object_or_404(
        ResidentMessage.objects.for_user(request.user).select_related("deputy__user", "street", "opinion"), pk=pk
    )
    if message.deputy.user_id != request.user.pk:
        require(request.user, Capability.MANAGE_DEPUTIES, message.street)
    return message


@require_http_methods(["GET", "POST"])
def message_detail(request, pk):
    message = _message(request, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_answer(by=request.user, message=message, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已答复，群众可凭查询码查看。"))
            return redirect(message)
    return render(request, "deputies/message_detail.html", {"message": message, "form": form})


@require_POST
def message_pass(request, pk):
    message = _message(request, pk)
    try:
        message = services.message_pass_to_loop(by=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("已转入意见建议办理（查询码 %(code)s）。") % {"code": message.opinion.tracking_code}
        )
    return redirect(message)


def _image(field) -> FileResponse:
    """A stored photo; one missing from storage is a 404, not an error page."""
    if not field:
        raise Http404
    try:
        return FileResponse(field.open("rb"))
    except FileNotFoundError:
        raise Http404 from None


def message_photo(request, pk):
    return _image(_message(request, pk).photo)


# --- Posters ---------------------------------------------------------------------------------------------


def poster_list(request):
    """The poster PDFs staff (or a deputy, their own) asked for, newest first; staff ask for a street's batch."""
    manage = _manage_street_ids(request.user)
    own = selectors.deputy_of(request.user)
    if not manage and own is None:
        raise PermissionDenied
    if request.method == "POST":
        street = get_object_or_404(Street.objects.filter(pk__in=manage), pk=request.POST.get("street"))
        services.posters_request(by=request.user, street=street)
        messages.success(request, _("正在生成 %(s)s 全部在任代表的海报，稍后刷新本页下载。") % {"s": street.name})
        return redirect("deputies:posters")
    rows = PosterBatch.objects.for_user(request.user).filter(Q(street_id__in=manage) | Q(deputy=own))
    return render(
        request,
        "deputies/poster_list.html",
        {
            "page": paginate(request, rows.select_related("street", "deputy__user")),
            "streets": Street.objects.filter(pk__in=manage),
            "done": PosterState.DONE,
        },
    )


@require_POST
def poster_request(request, pk):
    deputy = get_object_or_404(Deputy.objects.for_user(request.user).select_related("street"), pk=pk)
    if deputy.user_id != request.user.pk:
        require(request.user, Capability.MANAGE_DEPUTIES, deputy.street)
    try:
        services.posters_request(by=request.user, street=deputy.street, deputy=deputy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("正在生成海报，稍后刷新本页下载。"))
    return redirect("deputies:posters")


def poster_download(request, pk):
    batch = get_object_or_404(
        PosterBatch.objects.for_user(request.user).select_related("deputy"), pk=pk, state=PosterState.DONE
    )
    if batch.deputy is None or batch.deputy.user_id != request.user.pk:
        require(request.user, Capability.MANAGE_DEPUTIES, batch.street)
    return FileResponse(batch.file.open("rb"), as_attachment=True, filename=f"码上找代表海报-{batch}.pdf")


# --- Public pages (码上找代表, no login) ------------------------------------------------------------------


def _public_deputy(code) -> Deputy:
    return get_object_or_404(
        Deputy.objects.in_office().select_related("user", "street", "constituency"), public_code=code, end_reason=""
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def public(request, code):
    """A deputy's public contact page: photo, profile, constituency, reception days, and the message form."""
    deputy = _public_deputy(code)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if too_many(request, "deputies.message"):
            form.is_valid()
            form.add_error(None, TOO_MANY_MESSAGE)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                message = services.message_leave(
                    deputy=deputy,
                    content=data["content"],
                    name=data["name"],
                    phone=data["phone"],
                    photo=data["photo"],
                    contact_required=form.fields["phone"].required,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("留言已送达代表。请记下查询码 %(code)s，凭它查看答复。") % {"code": message.tracking_code},
                )
                return redirect(message.tracking_url())
    return render(request, "deputies/public.html", {"deputy": deputy, "form": form})


@login_not_required
def public_photo(request, code):
    return _image(_public_deputy(code).photo)


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request, code):
    """The resident's page: their message, the deputy's answer (or the case it became), the rating form."""
    message = get_object_or_404(
        ResidentMessage.objects.select_related("deputy__user", "opinion"), tracking_code=code.upper()
    )
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_rate(message=message, rating=form.cleaned_data["rating"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect(message.tracking_url())
    return render(request, "deputies/track.html", {"message": message, "form": form})

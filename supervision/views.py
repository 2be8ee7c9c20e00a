import datetime
import logging
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from committee.documents.selectors import documents_for
from committee.models import Membership, Street, User
from committee.notices.models import Channel as NoticeChannel
from committee.notices.models import NoticePreference
from committee.notices.services import channels_for
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, require, streets_where
from committee.roles import Capability, Role
from supervision import selectors, services, transitions
from supervision.forms import (
    AssignForm,
    CommitmentDoneForm,
    DeputyReportForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    OpinionForm,
    RatingForm,
    ReplyForm,
    RequiredNoteForm,
    TrackLookupForm,
    UnitForm,
)
from supervision.models import (
    OPEN_STATES,
    OPEN_WITH_UNIT,
    Attachment,
    Channel,
    Commitment,
    HandlingUnit,
    HandlingUnitMember,
    Opinion,
    OpinionEvent,
    ReplyClass,
    State,
    UnitKind,
)

logger = logging.getLogger(__name__)

LIST_COLUMNS = (
    "pk",
    "street__name",
    "channel",
    "category",
    "content",
    "proposer_name",
    "proposer_phone",
    "state",
    "unit__name",
    "deadline",
    "reply_class",
    "rating",
    "created_at",
    "tracking_code",
)


def _filtered(request, opinions):
    """The filters every case list shares: search, state, channel, unit, overdue, deadline before, street."""
    query = request.GET.get("q", "").strip()
    if query:
        opinions = opinions.filter(
            Q(content__contains=query)
            | Q(category__contains=query)
            | Q(proposer_name__contains=query)
            | Q(tracking_code=query.upper())
        )
    state = request.GET.get("state", "")
    if state in State.values:
        opinions = opinions.filter(state=state)
    channel = request.GET.get("channel", "")
    if channel in Channel.values:
        opinions = opinions.filter(channel=channel)
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        opinions = opinions.filter(unit_id=int(unit))
    street = request.GET.get("street", "")
    if street.isdigit():
        opinions = opinions.filter(street_id=int(street))
    if request.GET.get("overdue"):
        opinions = opinions.overdue()
    if request.GET.get("pending"):  # waiting for the committee: registered, or returned by a unit
        opinions = opinions.filter(state__in=(State.REGISTERED, State.RETURNED))
    before = request.GET.get("deadline_before", "")
    if before:
        try:
            opinions = opinions.filter(deadline__lte=datetime.date.fromisoformat(before))
        except ValueError:
            messages.warning(request, _("期限日期格式不正确，已忽略。"))
    return opinions, query


def _list_context(request, opinions, *, ordered=False, **extra):
    """`ordered`: keep the queryset's own order (the unit's worklist), else newest first."""
    opinions, query = _filtered(request, opinions)
    if not ordered:
        opinions = opinions.order_by("-created_at", "-pk")
    page = paginate(request, opinions.select_related("street", "unit"))
    return {
        "page": page,
        "query": query,
        "states": State.choices,
        "channels": Channel.choices,
        "today": timezone.localdate(),
        **extra,
    }


def opinion_list(request):
    """Staff, city and party: every case of their streets."""
    streets = streets_where(request.user, Capability.VIEW_OPINIONS)
    opinions = Opinion.objects.for_user(request.user).filter(street__in=streets)
    # The unit filter offers the units of one street: the user's only one, or the one chosen in the street filter.
    chosen = [s for s in streets if len(streets) == 1 or str(s.pk) == request.GET.get("street", "")]
    units = HandlingUnit.objects.filter(street__in=chosen).order_by("kind", "name") if chosen else []
    can_add = any(request.user.has_capability(Capability.MANAGE_OPINIONS, s) for s in streets)
    context = _list_context(request, opinions, streets=streets, units=units, can_add=can_add)
    context["title"] = _("意见建议办理")
    return render(request, "supervision/opinion_list.html", context)


INBOX_VIEWS = {
    "open": (_lazy("未办结"), OPEN_STATES),
    "closed": (_lazy("已办结"), (State.CLOSED,)),
    "all": (_lazy("全部"), None),
}


def inbox(request):
    """The unit's inbox: only the cases assigned to the person's own unit; by default those not closed, the ones
    to handle first by deadline (overdue and due-soon marked), then those waiting for the proposer's rating."""
    streets_where(request.user, Capability.HANDLE_OPINIONS)
    unit = services.unit_of(request.user)
    show = request.GET.get("show", "open")
    if show not in INBOX_VIEWS:
        show = "open"
    opinions = selectors.unit_inbox(request.user)
    states = INBOX_VIEWS[show][1]
    if states is not None:
        opinions = opinions.filter(state__in=states)
    context = _list_context(
        request,
        selectors.worklist(opinions),
        ordered=True,
        unit=unit,
        streets=[],
        units=[],
        inbox_views=[(key, label) for key, (label, _states) in INBOX_VIEWS.items()],
        show=show,
    )
    context["title"] = _("本单位待办")
    return render(request, "supervision/opinion_list.html", context)


def mine(request):
    """Cases I raised (deputies, council members; anyone signed in sees the cases with them as proposer)."""
    opinions = Opinion.objects.for_user(request.user).filter(proposer_user=request.user)
    context = _list_context(request, opinions, streets=[], units=[], mine=True)
    context["title"] = _("我提出的意见建议")
    context["can_add"] = any(
        request.user.has_capability(Capability.RAISE_OPINIONS, m.street)
        for m in request.user.active_memberships
        if m.street_id
    )
    return render(request, "supervision/opinion_list.html", context)


def _raisable_streets(user) -> list[Street]:
    streets = [
        s
        for s in Street.objects.for_user(user)
        if user.has_capability(Capability.MANAGE_OPINIONS, s) or user.has_capability(Capability.RAISE_OPINIONS, s)
    ]
    if not streets:
        raise PermissionDenied
    return streets


def _reporting_streets(user) -> list[Street]:
    """Where the user raises opinions of their own (deputies, council members) rather than registering others'."""
    return [
        s
        for s in _raisable_streets(user)
        if user.has_capability(Capability.RAISE_OPINIONS, s) and not user.has_capability(Capability.MANAGE_OPINIONS, s)
    ]


@require_http_methods(["GET", "POST"])
def opinion_add(request):
    """The committee's registration form (any channel, any proposer); deputies are sent to their own short form."""
    streets = _raisable_streets(request.user)
    if not any(request.user.has_capability(Capability.MANAGE_OPINIONS, s) for s in streets):
        return redirect("supervision:deputy_report")
    form = OpinionForm(
        request.POST or None,
        request.FILES or None,
        streets=Street.objects.filter(pk__in=[s.pk for s in streets]),
        owner=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = services.opinion_register(
                by=request.user,
                street=data["street"],
                channel=data["channel"],
                content=data["content"],
                category=data["category"],
                # A deputy or council member raising their own: the loop takes them as the proposer.
                proposer_kind=data["proposer_kind"]
                if request.user.has_capability(Capability.MANAGE_OPINIONS, data["street"])
                else "",
                proposer_name=data["proposer_name"],
                proposer_phone=data["proposer_phone"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form.release_files()
            messages.success(
                request,
                _("已登记。查询码 %(code)s，请告知提出人，凭此码可在“办理查询”页面查看进展并评价。")
                % {"code": opinion.tracking_code},
            )
            return redirect(opinion)
    return render(request, "supervision/opinion_form.html", {"form": form, "title": _("登记意见建议")})


@require_http_methods(["GET", "POST"])
def deputy_report(request):
    """A deputy's (or council member's) own short form, one tap from their home: what, photos, category and
    where. It registers a case in the loop with them as the proposer: a deputy's is a deputy suggestion (Art
    13(2), three months), a council member's a snap-and-report (随手拍, Art 19(1)). Staff use `opinion_add`."""
    streets = _reporting_streets(request.user)
    if not streets:
        return redirect("supervision:opinion_add")
    form = DeputyReportForm(
        request.POST or None,
        request.FILES or None,
        streets=Street.objects.filter(pk__in=[s.pk for s in streets]),
        owner=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        street = data["street"]
        is_deputy = any(m.role == Role.DEPUTY and m.street_id == street.pk for m in request.user.active_memberships)
        content = data["content"].strip()
        if data["place"].strip():
            content += "\n" + _("地点：%(place)s") % {"place": data["place"].strip()}
        try:
            services.opinion_register(
                by=request.user,
                street=street,
                channel=Channel.DEPUTY_SUGGESTION if is_deputy else Channel.SNAPSHOT,
                content=content,
                category=data["category"],
                proposer_user=request.user,
                attachments=data["photos"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form.release_files()
            messages.success(request, _("已提交，可在「我提出的」查看办理进度。"))
            return redirect("home")
    return render(request, "supervision/deputy_report.html", {"form": form})


def _check_visible(user, opinion: Opinion) -> None:
    """Readable street but not this user's case: another unit's case is 404 to a unit user (indistinguishable
    from a missing one); to anyone else without VIEW_OPINIONS (a deputy who did not raise it) it is 403."""
    if selectors.visible_opinions(user).filter(pk=opinion.pk).exists():
        return
    if user.has_capability(Capability.HANDLE_OPINIONS, opinion.street):
        raise Http404
    raise PermissionDenied


def _readable(request, pk) -> Opinion:
    """Another street's case: 404; see `_check_visible` for the rest."""
    opinion = get_object_or_404(
        Opinion.objects.for_user(request.user).select_related(
            "street", "unit", "proposer_user", "registered_by", "source_type"
        ),
        pk=pk,
    )
    _check_visible(request.user, opinion)
    return opinion


def opinion_detail(request, pk):
    opinion = _readable(request, pk)
    return render(request, "supervision/opinion_detail.html", _detail_context(request, opinion))


def _is_unit(user, opinion: Opinion) -> bool:
    """The user handles this case for its unit."""
    return (
        opinion.unit_id is not None
        and user.has_capability(Capability.HANDLE_OPINIONS, opinion.street)
        and HandlingUnitMember.objects.filter(user=user, unit_id=opinion.unit_id).exists()
    )


def _detail_context(request, opinion: Opinion, **bound_forms) -> dict:
    """The case page; `bound_forms` (assign_form, meeting_form, reply_form, done_form with done_commitment_id)
    keep what was typed, and the files chosen, after a refusal."""
    user = request.user
    can_manage = user.has_capability(Capability.MANAGE_OPINIONS, opinion.street)
    is_unit = _is_unit(user, opinion)
    can_see_contact = can_manage or is_unit or opinion.proposer_user_id == user.pk
    unit_unstaffed = (
        can_manage
        and opinion.state in OPEN_WITH_UNIT
        and not HandlingUnitMember.objects.filter(unit_id=opinion.unit_id, user__is_active=True).exists()
    )
    actions = set(transitions.actions_from(opinion.state))
    replies = opinion.replies.select_related("unit", "replied_by").prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "pk"))
    )
    source = None
    if opinion.source_type_id:
        try:
            source = opinion.source
        except Exception:  # the source row was removed
            source = None
    context = {
        "opinion": opinion,
        "events": OpinionEvent.objects.filter(opinion=opinion).select_related("by"),
        "meetings": opinion.meetings.select_related("recorded_by"),
        "replies": replies,
        "commitments": opinion.commitments.order_by("due_on", "pk"),
        "attachments": opinion.attachments.all(),
        "documents": documents_for(opinion).select_related("street"),
        "source": source,
        "source_url": getattr(source, "get_absolute_url", lambda: "")() if source else "",
        "can_manage": can_manage,
        "is_unit": is_unit,
        "can_see_contact": can_see_contact,
        "unit_unstaffed": unit_unstaffed,
        "can_rate": opinion.proposer_user_id == user.pk and "rate" in actions,
        "actions": actions,
        "assign_form": AssignForm(street=opinion.street) if can_manage else None,
        "meeting_form": MeetingForm() if is_unit else None,
        "reply_form": ReplyForm(owner=user) if is_unit else None,
        "rating_form": RatingForm(),
        "done_form": None,
        "done_commitment_id": None,
        "rating_url": services.rating_url(opinion) if can_manage and opinion.state == State.REPLIED else "",
        "can_follow_up": can_manage and opinion.is_overdue,
        "today": timezone.localdate(),
    }
    context.update(bound_forms)
    return context


def _error(request, error: ValidationError):
    messages.error(request, " ".join(error.messages))


def _invalid(form, fallback: str) -> ValidationError:
    """A form's own messages (labelled), or the fallback: shown on the case page, nothing changed."""
    found = [
        f"{form.fields[name].label}：{message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    ]
    return ValidationError(found or [fallback])


@require_POST
def opinion_act(request, pk, action):
    """Every step of a case is a POST from the case page; refusals come back as a message on it."""
    opinion = _readable(request, pk)
    user = request.user
    form = None
    try:
        if action == "assign":
            require(user, Capability.MANAGE_OPINIONS, opinion.street)
            form = AssignForm(request.POST, street=opinion.street)
            if not form.is_valid():
                raise _invalid(form, _("请选择办理单位，期限请按“年-月-日”填写。"))
            unit = form.cleaned_data["unit"]
            services.opinion_assign(by=user, opinion=opinion, unit=unit, deadline=form.cleaned_data["deadline"])
            if unit.people:
                messages.success(request, _("已交办。"))
            else:
                messages.warning(
                    request,
                    _("已交办。“%(name)s”没有账号，没有人收到交办通知，请线下通知该单位。") % {"name": unit.name},
                )
        elif action in ("escalate", "convert", "close"):
            form = NoteForm(request.POST)
            form.is_valid()
            note = form.cleaned_data.get("note", "")
            function = {
                "escalate": services.opinion_escalate,
                "convert": services.opinion_convert,
                "close": services.opinion_close,
            }[action]
            function(by=user, opinion=opinion, note=note)
            messages.success(request, _("已%(action)s。") % {"action": transitions.TRANSITIONS[action][0]})
        elif action == "answer_on_spot":
            form = RequiredNoteForm(request.POST)
            if not form.is_valid():
                raise _invalid(form, _("请填写答复内容。"))
            services.opinion_answer_on_spot(by=user, opinion=opinion, answer=form.cleaned_data["note"])
            messages.success(request, _("已记录当场答复。"))
        elif action == "return":
            form = RequiredNoteForm(request.POST)
            if not form.is_valid():
                raise _invalid(form, _("请说明退回理由。"))
            services.opinion_return(by=user, opinion=opinion, reason=form.cleaned_data["note"])
            messages.success(request, _("已退回人大街道工委重新交办。"))
            return redirect("supervision:inbox")
        elif action == "accept":
            services.opinion_accept(by=user, opinion=opinion)
            messages.success(request, _("已签收。"))
        elif action == "meeting":
            form = MeetingForm(request.POST)
            if not form.is_valid():
                raise _invalid(form, _("请完整填写沟通时间、地点、参加人员和沟通情况。"))
            services.opinion_meeting_record(by=user, opinion=opinion, **form.cleaned_data)
            messages.success(request, _("已记录见面沟通。"))
        elif action == "rate":
            form = RatingForm(request.POST)
            if not form.is_valid():
                raise _invalid(form, _("请选择满意、基本满意或不满意。"))
            services.opinion_rate(by=user, opinion=opinion, **form.cleaned_data)
            messages.success(request, _("感谢您的评价。"))
        elif action == "follow_up":
            document = services.opinion_follow_up_letter(by=user, opinion=opinion)
            messages.success(request, _("已发督办函 %(number)s，PDF 正在生成。") % {"number": document.number})
        else:
            raise Http404
    except ValidationError as error:
        if action in ("assign", "meeting") and form is not None:
            # Show the refusal at the form with what was typed (static/js/forms.js scrolls to it).
            if not form.errors:  # the service refused valid input
                add_validation_error(form, error)
            opinion = _readable(request, pk)
            context = _detail_context(request, opinion, **{f"{action}_form": form})
            return render(request, "supervision/opinion_detail.html", context, status=200)
        _error(request, error)
    return redirect(opinion)


def _reply_recipients(opinion: Opinion) -> list[str]:
    """Who a written reply reaches and how, in words for the page that asks before sending."""
    proposer = f"{opinion.get_proposer_kind_display()} {opinion.proposer_name}".strip()
    if opinion.proposer_user_id:
        preference = NoticePreference.objects.filter(user_id=opinion.proposer_user_id).first()
        ways = "、".join(str(NoticeChannel(c).label) for c in channels_for(opinion.proposer_user, preference))
        first = _("提出人 %(who)s：平台通知（%(ways)s），请其评价。") % {"who": proposer, "ways": ways}
    else:
        first = _("提出人 %(who)s（无平台账号）：凭查询码 %(code)s 在“办理查询”页面查看答复并评价。") % {
            "who": proposer,
            "code": opinion.tracking_code,
        }
    return [first, _("人大街道工委：在本件办理记录中查看，期限提醒随之结束。")]


@require_POST
def opinion_reply(request, pk):
    """书面答复 in two steps: the unit first sees what will be sent (the text, class, attachments, commitments,
    to whom) and confirms; "返回修改" shows the form again as it was, files included."""
    opinion = _readable(request, pk)
    if not _is_unit(request.user, opinion):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES, owner=request.user)
    step = request.POST.get("step", "preview")
    if step != "edit" and form.is_valid():
        reply = {
            "reply_class": form.cleaned_data["reply_class"],
            "body": form.cleaned_data["body"],
            "commitments": form.commitments(),
            "attachments": form.cleaned_data["attachments"],
        }
        try:
            if step == "send":
                services.opinion_reply(by=request.user, opinion=opinion, **reply)
            else:
                services.opinion_reply_check(by=request.user, opinion=opinion, **reply)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if step == "send":
                form.release_files()
                messages.success(request, _("已答复，已告知提出人。"))
                return redirect(opinion)
            form.keep_files()
            context = {
                "opinion": opinion,
                "form": form,
                "reply_class": ReplyClass(reply["reply_class"]).label,
                "body": reply["body"].strip(),
                "commitments": reply["commitments"],
                "files": form.kept_files("attachments"),
                "recipients": _reply_recipients(opinion),
            }
            return render(request, "supervision/reply_confirm.html", context)
    else:
        form.keep_files()
    context = _detail_context(request, opinion, reply_form=form, reply_editing=step == "edit")
    return render(request, "supervision/opinion_detail.html", context)


@require_POST
def commitment_done(request, pk):
    commitment = get_object_or_404(
        Commitment.objects.filter(opinion__in=selectors.visible_opinions(request.user)).select_related("opinion"),
        pk=pk,
    )
    form = CommitmentDoneForm(
        request.POST, request.FILES, owner=request.user, auto_id=f"id_commitment{commitment.pk}_%s"
    )
    if form.is_valid():
        try:
            services.commitment_complete(
                by=request.user,
                commitment=commitment,
                evidence=form.cleaned_data["evidence"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form.release_files()
            messages.success(request, _("已标记完成。"))
            return redirect(commitment.opinion)
    opinion = _readable(request, commitment.opinion_id)
    context = _detail_context(request, opinion, done_form=form, done_commitment_id=commitment.pk)
    return render(request, "supervision/opinion_detail.html", context)


def attachment(request, pk):
    """Files are served only here, to those who may open the case."""
    item = get_object_or_404(Attachment.objects.for_user(request.user).select_related("opinion__street"), pk=pk)
    _check_visible(request.user, item.opinion)
    try:
        stream = item.file.open("rb")
    except FileNotFoundError:
        logger.error("attachment %s: file %s is missing", item.pk, item.file.name)
        raise Http404 from None
    response = FileResponse(stream)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(item.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def figures(request):
    """Per street and per unit (with its street, paginated): number, 办结率, 按期答复率, 满意率 (one aggregate query
    for both tables, and the units' names: selectors.figure_tables)."""
    streets = streets_where(request.user, Capability.VIEW_OPINIONS)
    opinions = Opinion.objects.for_user(request.user).filter(street__in=streets)
    street_rows, unit_rows = selectors.figure_tables(opinions, HandlingUnit.objects.for_user(request.user), streets)
    units = paginate(request, unit_rows)
    return render(
        request,
        "supervision/figures.html",
        {"streets": street_rows, "page": units, "units": units.object_list, "show_street": len(streets) > 1},
    )


# --- Handling units ---------------------------------------------------------------------------------------


def unit_list(request):
    streets = streets_where(request.user, Capability.VIEW_OPINIONS)
    units = (
        HandlingUnit.objects.for_user(request.user)
        .filter(street__in=streets)
        .select_related("street")
        .annotate(
            open_count=Count("opinions", filter=Q(opinions__state__in=OPEN_STATES), distinct=True),
            member_count=Count("members", filter=Q(members__user__is_active=True), distinct=True),
        )
        .order_by("street", "kind", "name")
    )
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(name__contains=query)
    no_accounts = request.GET.get("no_accounts") == "1"
    if no_accounts:  # nobody there receives a 交办 notice or a reminder
        units = units.filter(member_count=0, active=True)
    can_manage = any(request.user.has_capability(Capability.MANAGE_OPINIONS, s) for s in streets)
    return render(
        request,
        "supervision/unit_list.html",
        {"page": paginate(request, units), "query": query, "no_accounts": no_accounts, "can_manage": can_manage},
    )


@require_http_methods(["GET", "POST"])
def unit_add(request):
    streets = streets_where(request.user, Capability.MANAGE_OPINIONS)
    form = UnitForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.handling_unit_save(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已添加办理单位。"))
            return redirect(unit)
    return render(request, "supervision/unit_form.html", {"form": form, "title": _("添加办理单位")})


@require_http_methods(["GET", "POST"])
def unit_detail(request, pk):
    """The unit, its people and its cases; staff edit it and link people here."""
    unit = get_for_user(HandlingUnit.objects.select_related("street"), request.user, Capability.VIEW_OPINIONS, pk=pk)
    can_manage = request.user.has_capability(Capability.MANAGE_OPINIONS, unit.street)
    form = member_form = None
    if can_manage:
        street_qs = Street.objects.filter(pk=unit.street_id)
        initial = {
            "street": unit.street,
            "name": unit.name,
            "kind": unit.kind,
            "contact_name": unit.contact_name,
            "contact_phone": unit.contact_phone,
            "active": unit.active,
        }
        candidates = User.objects.filter(
            pk__in=Membership.objects.active().filter(street=unit.street, role=Role.HANDLING_UNIT).values("user_id")
        ).exclude(handling_unit_member__isnull=False)
        post_form = request.POST.get("form")
        form = UnitForm(request.POST if post_form == "unit" else None, streets=street_qs, initial=initial)
        member_form = MemberForm(request.POST if post_form == "member" else None, users=candidates)
        if request.method == "POST":
            try:
                if post_form == "unit" and form.is_valid():
                    services.handling_unit_save(by=request.user, unit=unit, **form.cleaned_data)
                    messages.success(request, _("已保存。"))
                    return redirect(unit)
                if post_form == "member" and member_form.is_valid():
                    services.handling_unit_member_add(by=request.user, unit=unit, user=member_form.cleaned_data["user"])
                    messages.success(request, _("已添加人员。"))
                    return redirect(unit)
                if post_form == "remove":
                    member = get_object_or_404(HandlingUnitMember, unit=unit, pk=request.POST.get("member"))
                    services.handling_unit_member_remove(by=request.user, member=member)
                    messages.success(request, _("已移出。"))
                    return redirect(unit)
            except ValidationError as error:
                add_validation_error(form if post_form == "unit" else member_form, error)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "supervision/unit_detail.html",
        {
            "unit": unit,
            "members": unit.members.select_related("user"),
            "open_count": unit.opinions.filter(state__in=OPEN_STATES).count(),
            "recent": unit.opinions.order_by("-created_at")[:10],
            "form": form,
            "member_form": member_form,
            "can_manage": can_manage,
            "kinds": UnitKind,
        },
    )


@require_http_methods(["GET", "POST"])
def unit_delete(request, pk):
    """GET asks for confirmation; POST deletes (or deactivates a unit with finished cases)."""
    unit = get_for_user(HandlingUnit.objects.select_related("street"), request.user, Capability.MANAGE_OPINIONS, pk=pk)
    open_count = unit.opinions.filter(state__in=OPEN_STATES).count()
    error = None
    if request.method == "POST":
        try:
            deleted = services.handling_unit_delete(by=request.user, unit=unit)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if deleted:
                messages.success(request, _("已删除“%(name)s”。") % {"name": unit.name})
            else:
                messages.info(request, _("“%(name)s”有历史办理件，已停用而未删除。") % {"name": unit.name})
            return redirect("supervision:unit_list")
    return render(request, "supervision/unit_delete.html", {"unit": unit, "open_count": open_count, "error": error})


# --- Public: tracking page and signed rating link -----------------------------------------------------------


def _public_context(opinion: Opinion) -> dict:
    return {
        "opinion": opinion,
        "events": OpinionEvent.objects.filter(opinion=opinion).exclude(action="follow_up"),
        "replies": opinion.replies.select_related("unit").prefetch_related("commitments"),
        "can_rate": opinion.state == State.REPLIED,
    }


@login_not_required
def track_lookup(request):
    form = TrackLookupForm(request.GET or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        if Opinion.objects.filter(tracking_code=code).exists():
            return redirect("supervision:track", code=code)
        form.add_error("code", _("没有找到该查询码，请核对后重新输入。"))
    return render(request, "supervision/track_lookup.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def track(request, code):
    """The proposer's page: state and reply, and the rating form once replied. The code is the key."""
    opinion = get_object_or_404(Opinion.objects.select_related("street", "unit"), tracking_code=code.upper())
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_rate(by=None, opinion=opinion, actor_label=_("提出人（查询页）"), **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("supervision:track", code=opinion.tracking_code)
    return render(request, "supervision/track.html", {**_public_context(opinion), "form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def rate_link(request, token):
    """The signed link sent by SMS: rates the round it was issued for, without the tracking code."""
    try:
        pk, round_ = services.opinion_from_rating_token(token)
    except signing.BadSignature:
        return render(request, "supervision/rate_link_invalid.html", status=400)
    opinion = get_object_or_404(Opinion.objects.select_related("street", "unit"), pk=pk)
    if opinion.round != round_ or opinion.state != State.REPLIED:
        return redirect("supervision:track", code=opinion.tracking_code)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_rate(by=None, opinion=opinion, actor_label=_("提出人（短信链接）"), **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("supervision:track", code=opinion.tracking_code)
    return render(request, "supervision/track.html", {**_public_context(opinion), "form": form})

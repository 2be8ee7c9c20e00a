import base64
import io

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.documents.selectors import documents_for
from committee.models import Street
from committee.notices.models import Notice
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, require, streets_where
from committee.roles import Capability
from meetings import services
from meetings.forms import (
    AgendaChangeForm,
    AnswerForm,
    CancelForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    RescheduleForm,
    WrittenOpinionForm,
    default_date,
)
from meetings.models import AgendaDocument, AgendaItem, Answer, Meeting, MeetingKind, MeetingState, Participant


def _participant_count(**conditions):
    participants = Participant.objects.filter(meeting=OuterRef("pk"), **conditions).order_by().values("meeting")
    return Coalesce(Subquery(participants.annotate(n=Count("pk")).values("n")), 0)


def meeting_list(request):
    streets = streets_where(request.user, Capability.VIEW_MEETINGS)
    meetings = (
        Meeting.objects.for_user(request.user)
        .filter(street__in=streets)
        .select_related("street")
        # Correlated counts: PostgreSQL computes them for the page's rows only, after the sort and the limit (a
        # join and GROUP BY would count every participant of every meeting in scope first).
        .annotate(invited=_participant_count(), present=_participant_count(signed_in_at__isnull=False))
    )
    kind = request.GET.get("kind", "")
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        meetings = meetings.filter(Q(title__contains=query) | Q(place__contains=query))
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        meetings = meetings.filter(street_id=int(street_id))
    year = request.GET.get("year", "")
    if year.isdigit():
        meetings = meetings.filter(date__year=int(year))
    page = paginate(request, meetings.order_by("-date", "-time", "-pk"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "page": page,
            "streets": streets,
            "query": query,
            "kind": kind,
            "kind_label": MeetingKind(kind).label if kind in MeetingKind.values else _("会议"),
            "can_manage": any(request.user.has_capability(Capability.MANAGE_MEETINGS, s) for s in streets),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_add(request):
    streets = streets_where(request.user, Capability.MANAGE_MEETINGS)
    kind = request.GET.get("kind", MeetingKind.COMMITTEE)
    initial = {
        "kind": kind if kind in MeetingKind.values else MeetingKind.COMMITTEE,
        "date": default_date(),
        "time": "09:00",
    }
    form = MeetingForm(
        request.POST or None, initial=initial, streets=Street.objects.filter(pk__in=[s.pk for s in streets])
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                by=request.user,
                street=data["street"],
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                time=data["time"],
                place=data["place"],
                attendees=list(data["attendees"]),
                other_attendees=data["other_attendees"],
                urgent_reason=data["urgent_reason"],
                chair=data["chair"],
                field_visit=data["field_visit"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已拟定会议，请核对议程和参会人员后确认发出通知。"))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "title": _("安排会议")})


def _invited(user, meeting: Meeting) -> bool:
    return meeting.participants.filter(user=user).exists()


def _check_readable(user, meeting: Meeting) -> None:
    """Readers of the street's meetings, and the people invited to this one: everyone a meeting's notice is sent
    to opens it and answers it — a handling unit's officer invited as 相关参会人员 too, who sees this meeting and
    no other (the list and other meetings stay closed to them). A draft is the committee's own until its notice
    goes out."""
    if not user.has_capability(Capability.VIEW_MEETINGS, meeting.street) and not _invited(user, meeting):
        raise PermissionDenied
    if meeting.state == MeetingState.DRAFT and not user.has_capability(Capability.MANAGE_MEETINGS, meeting.street):
        raise Http404


def _meeting(request, pk, capability=Capability.VIEW_MEETINGS) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("street__committee", "chair", "field_visit", "urgent_by"),
        pk=pk,
    )
    if capability == Capability.VIEW_MEETINGS:
        _check_readable(request.user, meeting)
    else:
        require(request.user, capability, meeting.street)
    return meeting


def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    can_manage = user.has_capability(Capability.MANAGE_MEETINGS, meeting.street)
    is_reader = user.has_capability(Capability.VIEW_MEETINGS, meeting.street)
    participants = list(meeting.participants.select_related("user").order_by("-group", "pk"))
    confirmed = set(
        Notice.objects.filter(event_key=meeting.event_key(), confirmed_at__isnull=False).values_list(
            "recipient_id", flat=True
        )
    )
    for p in participants:
        p.confirmed = p.user_id in confirmed
    mine = next((p for p in participants if p.user_id == user.pk), None)
    # An invited person without the readers' capability (a handling unit) sees the meeting, not the cases of
    # other units its written opinions opened.
    records = (
        list(meeting.written_opinions.select_related("document", "unit", "opinion__unit").order_by("pk"))
        if is_reader
        else []
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "can_manage": can_manage,
            "is_reader": is_reader,
            "participants": participants,
            "answered": sum(p.answer != Answer.PENDING for p in participants),
            "confirmed_count": len(confirmed),
            "mine": mine,
            "answer_form": AnswerForm(initial={"answer": mine.answer if mine else "attend"}),
            "agenda": list(meeting.agenda.prefetch_related("documents")),
            "agenda_changes": list(meeting.agenda_changes.select_related("changed_by", "document")),
            "decisions": list(meeting.decisions.all()),
            "quorum": services.quorum(meeting),
            "documents": documents_for(meeting).select_related("street"),
            "records": records,
            "opinions": [r.opinion for r in records if r.opinion is not None],
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_confirm(request, pk):
    """GET asks for confirmation; POST sends the notice to every participant at once."""
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    if meeting.state != MeetingState.DRAFT:
        messages.info(request, _("会议通知已发出。"))
        return redirect(meeting)
    error = None
    if request.method == "POST":
        try:
            meeting = services.meeting_confirm(by=request.user, meeting=meeting)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("会议通知已发出。"))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_confirm.html",
        {"meeting": meeting, "error": error, "recipients": meeting.participants.filter(user__isnull=False).count()},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    """Title, place (before the notice), chair, and the field visit before the meeting (Art 10(2))."""
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    form = MeetingEditForm(
        request.POST or None,
        street=meeting.street,
        initial={
            "title": meeting.title,
            "place": meeting.place,
            "chair": meeting.chair_id,
            "field_visit": meeting.field_visit_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "title": _("修改会议"), "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_reschedule(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    form = RescheduleForm(
        request.POST or None, initial={"date": meeting.date, "time": meeting.time, "place": meeting.place}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_reschedule(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if meeting.state == MeetingState.NOTIFIED:
                messages.success(request, _("已变更，变更通知已发出，原通知和提醒已撤销。"))
            else:
                messages.success(request, _("已变更会议时间地点。"))
            return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "title": _("变更时间地点"), "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_cancel(by=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("会议已取消，已通知参会人员。"))
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": _("取消会议"), "meeting": meeting, "danger": True},
    )


@require_POST
def meeting_answer(request, pk):
    meeting = _meeting(request, pk)
    participant = get_object_or_404(meeting.participants, user=request.user)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.participant_answer(by=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已答复。"))
    else:
        messages.error(request, _("请选择参会或请假。"))
    return redirect(meeting)


@require_POST
def meeting_chase(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    try:
        count = services.participants_chase(by=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已提醒 %(n)d 位未答复的人员。") % {"n": count})
    return redirect(meeting)


# --- Agenda ---------------------------------------------------------------------------------------------


@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    try:
        services.agenda_item_add(by=request.user, meeting=meeting, title=request.POST.get("title", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")


@require_http_methods(["GET", "POST"])
def agenda_change(request, pk):
    """After the notice: the whole agenda in one form; saving records the change, sends the change notice to the
    participants and issues the notice again (the page says so before the button)."""
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    if meeting.state != MeetingState.NOTIFIED:
        messages.info(
            request,
            _("会议已召开，议程已关闭。") if meeting.state == MeetingState.HELD else _("请在会议页面直接修改议程。"),
        )
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")
    items = list(meeting.agenda.prefetch_related("documents"))
    form = AgendaChangeForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.agenda_change(
                by=request.user, meeting=meeting, agenda=form.agenda(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("议程已变更：已向参会人员发出变更通知，会议通知已重新印发（%(n)s）。")
                % {"n": change.document.number},
            )
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")
    return render(
        request,
        "meetings/agenda_change.html",
        {
            "meeting": meeting,
            "form": form,
            "recipients": meeting.participants.filter(user__isnull=False).count(),
        },
    )


def _item(request, pk) -> AgendaItem:
    item = get_for_user(
        AgendaItem.objects.select_related("meeting__street", "street"), request.user, Capability.MANAGE_MEETINGS, pk=pk
    )
    return item


@require_POST
def agenda_item(request, pk):
    """One form per item: save its title, move it up or down, delete it, or attach a document."""
    item = _item(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "save":
            services.agenda_item_update(by=request.user, item=item, title=request.POST.get("title", ""))
        elif action in ("up", "down"):
            services.agenda_item_move(by=request.user, item=item, up=action == "up")
        elif action == "delete":
            services.agenda_item_delete(by=request.user, item=item)
        elif action == "attach":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("请选择要上传的文件。"))
            services.agenda_document_add(by=request.user, item=item, upload=upload)
        else:
            raise ValidationError(_("未知的操作。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + "#agenda")


def agenda_document(request, pk):
    doc = get_object_or_404(
        AgendaDocument.objects.for_user(request.user).select_related("item__meeting__street"), pk=pk
    )
    _check_readable(request.user, doc.item.meeting)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


# --- Sign-in ----------------------------------------------------------------------------------------------


def _qr_data_uri(url: str) -> str:
    import qrcode

    image = qrcode.make(url, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def sign_in_sheet(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    link = settings.SITE_URL + reverse("meetings:self_sign_in", args=[services.sign_in_token(meeting)])
    return render(
        request,
        "meetings/sign_in.html",
        {
            "meeting": meeting,
            "participants": list(meeting.participants.order_by("-group", "pk")),
            "quorum": services.quorum(meeting),
            "qr": _qr_data_uri(link),
            "link": link,
        },
    )


@require_POST
def sign_in_toggle(request, pk):
    participant = get_for_user(
        Participant.objects.select_related("meeting__street"), request.user, Capability.MANAGE_MEETINGS, pk=pk
    )
    error = None
    try:
        participant = services.participant_sign_in(
            by=request.user, participant=participant, present=request.POST.get("present") == "1"
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "meetings/_sign_in_row.html",
            {
                "p": participant,
                "error": error,
                "meeting": participant.meeting,
                "quorum": services.quorum(participant.meeting),
                "oob": True,
            },
        )
    if error:
        messages.error(request, error)
    return redirect("meetings:sign_in", participant.meeting_id)


def quorum_fragment(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "meetings/_quorum.html", {"meeting": meeting, "quorum": services.quorum(meeting)})


@require_http_methods(["GET", "POST"])
def self_sign_in(request, token):
    """The page the meeting's QR code opens: login required, only for participants; signs in on the button."""
    try:
        meeting_id = services.meeting_from_sign_in_token(token)
    except signing.BadSignature:
        raise Http404 from None
    meeting = _meeting(request, meeting_id)
    participant = meeting.participants.filter(user=request.user).first()
    if participant is None:
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            participant = services.self_sign_in(by=request.user, meeting=meeting)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("签到成功。"))
            return redirect(meeting)
    return render(
        request, "meetings/self_sign_in.html", {"meeting": meeting, "participant": participant, "error": error}
    )


# --- Minutes, decisions, written opinions ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    form = MinutesForm(
        request.POST if request.POST.get("action") in ("save", "issue") else None, initial={"minutes": meeting.minutes}
    )
    decision_form = DecisionForm(request.POST if request.POST.get("action") == "decision" else None)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "decision" and decision_form.is_valid():
                services.decision_record(by=request.user, meeting=meeting, text=decision_form.cleaned_data["text"])
                messages.success(request, _("已记录决定事项。"))
                return redirect("meetings:minutes", meeting.pk)
            if action in ("save", "issue") and form.is_valid():
                services.minutes_save(by=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"])
                if action == "issue":
                    services.minutes_issue(by=request.user, meeting=meeting)
                    messages.success(request, _("纪要已印发，PDF 正在生成。"))
                    return redirect(meeting)
                messages.success(request, _("已保存纪要。"))
                return redirect("meetings:minutes", meeting.pk)
        except ValidationError as error:
            add_validation_error(decision_form if action == "decision" else form, error)
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "decision_form": decision_form,
            "decisions": list(meeting.decisions.all()),
            "quorum": services.quorum(meeting),
        },
    )


@require_http_methods(["GET", "POST"])
def opinion_add(request, pk):
    meeting = _meeting(request, pk, Capability.MANAGE_MEETINGS)
    if not meeting.is_council:
        raise Http404
    form = WrittenOpinionForm(request.POST or None, street=meeting.street)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.written_opinion_add(by=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("已印发意见函 %(n)s，并交%(u)s办理。") % {"n": record.document.number, "u": record.unit.name},
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": _("议事会书面意见（意见函）"), "meeting": meeting, "quorum": services.quorum(meeting)},
    )

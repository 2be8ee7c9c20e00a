from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.notices import services
from committee.notices.delivery import notice_from_token
from committee.notices.forms import PreferenceForm
from committee.notices.models import Channel, Notice, NoticePreference, NoticeState
from committee.pages import paginate
from committee.permissions import get_for_user, require, streets_where
from committee.roles import Capability


def _back(request, default="notices:inbox"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _own(request, pk):
    """One of the signed-in person's own notices; anyone else's is a 404."""
    return get_object_or_404(Notice.objects.for_user(request.user).filter(recipient=request.user), pk=pk)


def inbox(request):
    notices = Notice.objects.inbox(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        notices = notices.filter(Q(title__contains=query) | Q(body__contains=query))
    if request.GET.get("unread") == "1":
        notices = notices.filter(read_at__isnull=True)
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    notices = notices.select_related("street").order_by(unread_first, "-sent_at", "-pk")
    return render(request, "notices/inbox.html", {"page": paginate(request, notices), "query": query})


def badge(request):
    """The navbar's unread count, loaded by htmx so that other pages' query counts do not change."""
    count = Notice.objects.inbox(request.user).filter(read_at__isnull=True).count()
    # No request context: the navigation's context processor would cost a query for nothing.
    return HttpResponse(render_to_string("notices/badge.html", {"count": count}))


def open_notice(request, pk):
    """Open a notice: it is read, and the person goes to the thing it is about."""
    notice = _own(request, pk)
    services.notice_mark_read(by=request.user, notice=notice)
    if notice.link.startswith("/") and not notice.link.startswith("//"):
        return redirect(notice.link)
    return redirect("notices:inbox")


@require_POST
def mark_read(request, pk):
    services.notice_mark_read(by=request.user, notice=_own(request, pk))
    return _back(request)


@require_POST
def confirm(request, pk):
    notice = _own(request, pk)
    try:
        services.notice_confirm(by=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已签收：%(title)s") % {"title": notice.title})
    return _back(request)


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm_link(request, token):
    """签收 from the signed link in an email or SMS, without logging in. The link shows the notice and one button:
    a GET never confirms, so mail scanners that open links cannot sign for the recipient."""
    try:
        notice = Notice.objects.select_related("recipient", "street").get(pk=notice_from_token(token))
    except signing.SignatureExpired:
        return render(
            request, "notices/confirm_link.html", {"error": _("签收链接已过期，请登录后在通知中签收。")}, status=400
        )
    except (signing.BadSignature, Notice.DoesNotExist):
        return render(request, "notices/confirm_link.html", {"error": _("签收链接无效。")}, status=400)
    done = False
    if request.method == "POST":
        try:
            services.notice_confirm(by=notice.recipient, notice=notice)
        except ValidationError as error:
            return render(request, "notices/confirm_link.html", {"error": " ".join(error.messages)}, status=400)
        done = True
        notice.refresh_from_db()
    return render(request, "notices/confirm_link.html", {"notice": notice, "done": done})


@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = NoticePreference.objects.filter(user=request.user).first()
    initial = {
        "email_enabled": preference.email_enabled if preference else True,
        "sms_enabled": preference.sms_enabled if preference else True,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notice_preference_set(by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存通知方式。"))
        return redirect("notices:preferences")
    return render(request, "notices/preferences.html", {"form": form})


def sent_list(request):
    """The events notices were sent about in the streets where the user manages notices, newest first."""
    streets = streets_where(request.user, Capability.MANAGE_NOTICES)
    events = Notice.objects.for_user(request.user).filter(street__in=streets).exclude(state=NoticeState.CANCELLED)
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(Q(title__contains=query) | Q(event_key__contains=query))
    events = (
        events.values("event_key")
        .annotate(
            title=Max("title"),
            people=Count("recipient", distinct=True),
            confirmed=Count("recipient", filter=Q(confirmed_at__isnull=False), distinct=True),
            failed=Count("pk", filter=Q(state=NoticeState.FAILED)),
            last=Max("created_at"),
        )
        .order_by("-last", "event_key")
    )
    return render(request, "notices/sent_list.html", {"page": paginate(request, events), "query": query})


def _event_rows(request, event_key):
    rows = list(
        Notice.objects.for_user(request.user)
        .filter(event_key=event_key)
        .select_related("recipient", "street")
        .order_by("recipient__full_name", "recipient_id", "channel")
    )
    if not rows:
        raise Http404
    for street in {row.street for row in rows}:
        require(request.user, Capability.MANAGE_NOTICES, street)
    return rows


def event_detail(request, event_key):
    """Who has and has not confirmed an event's notice, channel by channel."""
    rows = _event_rows(request, event_key)
    people = {}
    for row in rows:
        person = people.setdefault(
            row.recipient_id, {"user": row.recipient, "channels": [], "confirmed_at": None, "read_at": None}
        )
        person["channels"].append(row)
        person["confirmed_at"] = person["confirmed_at"] or row.confirmed_at
        if row.channel == Channel.IN_APP:
            person["read_at"] = row.read_at
    people = list(people.values())
    unconfirmed = [p for p in people if not p["confirmed_at"]]
    return render(
        request,
        "notices/event_detail.html",
        {
            "event_key": event_key,
            "title": rows[0].title,
            "unconfirmed": unconfirmed,
            "confirmed": [p for p in people if p["confirmed_at"]],
            "total": len(people),
        },
    )


@require_POST
def resend(request, event_key):
    _event_rows(request, event_key)
    try:
        count = services.notices_resend_unconfirmed(by=request.user, event_key=event_key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已向 %(n)s 位未签收的人员重新发送通知。") % {"n": count})
    return redirect("notices:event_detail", event_key=event_key)


def failed_list(request):
    streets = streets_where(request.user, Capability.MANAGE_NOTICES)
    notices = (
        Notice.objects.for_user(request.user)
        .filter(street__in=streets, state=NoticeState.FAILED)
        .select_related("recipient", "street")
        .order_by("-due_at", "-pk")
    )
    query = request.GET.get("q", "").strip()
    if query:
        notices = notices.filter(
            Q(title__contains=query) | Q(recipient__full_name__contains=query) | Q(last_error__contains=query)
        )
    return render(request, "notices/failed_list.html", {"page": paginate(request, notices), "query": query})


@require_POST
def retry(request, pk):
    notice = get_for_user(Notice.objects.select_related("street"), request.user, Capability.MANAGE_NOTICES, pk=pk)
    try:
        services.notice_retry(by=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已重新排队发送：%(title)s") % {"title": notice.title})
    return _back(request, default="notices:failed_list")

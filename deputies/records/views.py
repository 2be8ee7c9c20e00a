"""Pages of deputies' duty records and points. Reads go through `for_user` / `get_for_user`; writes through
`deputies.records.services`. Each deputy sees their own records and score and the street's distribution, never a
ranking; staff and the city see the table."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from committee.documents.models import Document, DocumentState
from committee.documents.selectors import documents_for
from committee.duties import registry
from committee.models import Street, User
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_where
from committee.roles import Capability
from deputies.models import deputy_memberships
from deputies.records import forms, points, selectors, services
from deputies.records.homepage import quotas
from deputies.records.models import (
    Claim,
    ClaimEvidence,
    ClaimState,
    Correction,
    CorrectionKind,
    CorrectionState,
    DutyArchive,
    PointEntry,
    Quarter,
    QuarterScore,
)

MANAGE, FILE, TABLE = Capability.MANAGE_DUTIES, Capability.FILE_DUTY_CLAIMS, Capability.VIEW_DUTY_POINTS


def _holds_anywhere(user, *capabilities) -> list[Street]:
    streets = Street.objects.for_user(user).select_related("municipality")
    return [s for s in streets if any(user.has_capability(c, s) for c in capabilities)]


def _chosen(request, streets: list[Street]) -> Street:
    wanted = request.GET.get("street", "")
    for street in streets:
        if str(street.pk) == wanted:
            return street
    return streets[0]


# --- Claims ------------------------------------------------------------------------------------------------
def claim_list(request):
    """Staff: the street's claims, those waiting for confirmation first. A deputy: their own."""
    streets = _holds_anywhere(request.user, TABLE, FILE)
    managed = [s for s in streets if request.user.has_capability(TABLE, s)]
    own = [s for s in streets if request.user.has_capability(FILE, s)]
    if not managed and not own:
        raise PermissionDenied
    claims = Claim.objects.for_user(request.user).select_related("street", "filed_by")
    claims = claims.filter(Q(street__in=managed) | Q(participant_links__person=request.user)).distinct()
    query = request.GET.get("q", "").strip()
    if query:
        claims = claims.filter(title__contains=query)
    state = request.GET.get("state", "")
    if state in ClaimState.values:
        claims = claims.filter(state=state)
    claims = claims.annotate(
        waiting=Case(When(state=ClaimState.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("waiting", "-date", "-pk")
    return render(
        request,
        "records/claim_list.html",
        {
            "page": paginate(request, claims),
            "query": query,
            "state": state,
            "states": ClaimState.choices,
            "can_file": bool(own),
            "can_manage": any(request.user.has_capability(MANAGE, s) for s in managed),
        },
    )


@require_http_methods(["GET", "POST"])
def claim_add(request):
    streets = streets_where(request.user, FILE)
    form = forms.ClaimForm(
        request.POST or None,
        request.FILES or None,
        streets=Street.objects.filter(pk__in=[s.pk for s in streets]),
        owner=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_file(
                by=request.user,
                street=data["street"],
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                place=data["place"],
                description=data["description"],
                venue=data["venue"],
                deputy_role=data["deputy_role"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form.release_files()
            messages.success(request, _("已提交，待人大街道工委确认后计入履职积分。"))
            return redirect(claim)
    return render(request, "records/claim_form.html", {"form": form})


def _claim_for(request, pk) -> Claim:
    """Staff and the city read the street's claims; a deputy reads the claims they are on (another deputy's is
    a 404, as is another street's)."""
    claim = get_object_or_404(
        Claim.objects.for_user(request.user).select_related("street", "filed_by", "reviewed_by"), pk=pk
    )
    if request.user.has_capability(TABLE, claim.street):
        return claim
    if claim.participant_links.filter(person=request.user).exists():
        return claim
    raise Http404


def claim_detail(request, pk):
    claim = _claim_for(request, pk)
    can_review = (
        request.user.has_capability(MANAGE, claim.street)
        and claim.state == ClaimState.PENDING
        and not claim.participant_links.filter(person=request.user).exists()
        and claim.filed_by_id != request.user.pk
    )
    return render(
        request,
        "records/claim_detail.html",
        {
            "claim": claim,
            "participants": [
                link.person for link in claim.participant_links.select_related("person").order_by("person__full_name")
            ],
            "evidence": list(claim.evidence.all()),
            "can_review": can_review,
            "reject_form": forms.RejectForm(),
        },
    )


@require_POST
def claim_confirm(request, pk):
    claim = _claim_for(request, pk)
    try:
        services.claim_confirm(by=request.user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已确认，计入代表履职积分。"))
    return redirect(claim)


@require_POST
def claim_reject(request, pk):
    claim = _claim_for(request, pk)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        try:
            services.claim_reject(by=request.user, claim=claim, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已退回，代表会看到理由。"))
    else:
        messages.error(request, _("请写明不予确认的理由。"))
    return redirect(claim)


def evidence(request, pk):
    item = get_object_or_404(ClaimEvidence.objects.for_user(request.user), pk=pk)
    _claim_for(request, item.claim_id)
    try:
        return FileResponse(item.file.open("rb"), as_attachment=not item.is_image, filename=item.name)
    except FileNotFoundError:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def activity_add(request):
    street = _chosen(request, streets_where(request.user, MANAGE))
    people = User.objects.filter(
        pk__in=deputy_memberships(datetime.date(2000, 1, 1), until=timezone.localdate())
        .filter(street=street)
        .values("user_id")
    ).order_by("full_name")
    form = forms.ActivityForm(request.POST or None, request.FILES or None, people=people, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.activity_record(
                by=request.user,
                street=street,
                kind=data["kind"],
                title=data["title"],
                date=data["date"],
                place=data["place"],
                description=data["description"],
                venue=data["venue"],
                deputy_role=data["deputy_role"],
                audience=data["audience"],
                participants=data["participants"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            form.release_files()
            messages.success(request, _("已登记，计入每位参加代表的履职积分。"))
            return redirect(claim)
    return render(request, "records/activity_form.html", {"form": form, "street": street})


# --- Points ------------------------------------------------------------------------------------------------
def point_list(request):
    """The published quarters: staff publish here; a deputy sees their own score in each."""
    streets = _holds_anywhere(request.user, TABLE, Capability.VIEW_OWN_DUTIES)
    if not streets:
        raise PermissionDenied
    quarters = Quarter.objects.for_user(request.user).filter(street__in=streets).select_related("street")
    page = paginate(request, quarters.order_by("-year", "-number", "street_id"))
    own = {s.quarter_id: s for s in QuarterScore.objects.filter(quarter__in=[q.pk for q in page], person=request.user)}
    managed = [s for s in streets if request.user.has_capability(MANAGE, s)]
    today = timezone.localdate()
    year, number = points.quarter_of(today)
    last = (year, number - 1) if number > 1 else (year - 1, 4)
    return render(
        request,
        "records/point_list.html",
        {
            "page": page,
            "rows": [(quarter, own.get(quarter.pk)) for quarter in page],
            "managed": managed,
            "publish_form": forms.PublishForm(initial={"year": last[0], "number": last[1]}),
            "table_streets": [s for s in streets if request.user.has_capability(TABLE, s)],
        },
    )


@require_POST
def quarter_publish(request):
    street = (
        _chosen(request, streets_where(request.user, MANAGE))
        if "street" not in request.POST
        else get_for_user(Street.objects.all(), request.user, MANAGE, pk=request.POST["street"])
    )
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择年度和季度。"))
        return redirect("records:points")
    try:
        quarter = services.quarter_publish(
            by=request.user, street=street, year=form.cleaned_data["year"], number=form.cleaned_data["number"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:points")
    messages.success(request, _("已公布，并通知了本街道的代表。"))
    return redirect(quarter)


def _quarter_for(request, pk) -> tuple[Quarter, bool]:
    """(quarter, whether the user reads the whole table)."""
    quarter = get_object_or_404(Quarter.objects.for_user(request.user).select_related("street"), pk=pk)
    if request.user.has_capability(TABLE, quarter.street):
        return quarter, True
    if request.user.has_capability(Capability.VIEW_OWN_DUTIES, quarter.street):
        return quarter, False
    raise PermissionDenied


def quarter_detail(request, pk):
    quarter, table = _quarter_for(request, pk)
    context = {
        "quarter": quarter,
        "table": table,
        "distribution": selectors.distribution(quarter),
        "kinds": registry.kinds(),
        "can_manage": request.user.has_capability(MANAGE, quarter.street),
        "today": timezone.localdate(),
    }
    if table:
        scores = quarter.scores.select_related("person").order_by("person__full_name", "pk")
        query = request.GET.get("q", "").strip()
        if query:
            scores = scores.filter(person__full_name__contains=query)
        context["page"] = paginate(request, scores)
        context["query"] = query
        context["corrections"] = quarter.corrections.select_related("person", "entry").order_by(
            Case(When(state=CorrectionState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()), "pk"
        )[:100]
        context["resolve_form"] = forms.ResolveForm()
    else:
        context["score"] = quarter.scores.filter(person=request.user).first()
        context["entries"] = list(quarter.entries.filter(person=request.user).order_by("date", "pk"))
        context["corrections"] = list(quarter.corrections.filter(person=request.user).select_related("entry"))
    context["window_open"] = not quarter.is_final and context["today"] <= quarter.corrections_until
    return render(request, "records/quarter_detail.html", context)


@require_http_methods(["GET", "POST"])
def correction_add(request, pk):
    quarter, _table = _quarter_for(request, pk)
    entry = None
    if request.GET.get("entry", "").isdigit():
        entry = get_object_or_404(PointEntry, quarter=quarter, person=request.user, pk=int(request.GET["entry"]))
    if not quarter.scores.filter(person=request.user).exists():
        raise PermissionDenied
    if quarter.is_final or timezone.localdate() > quarter.corrections_until:
        messages.info(request, _("纠错期已过（截止%(d)s）。") % {"d": f"{quarter.corrections_until:%Y-%m-%d}"})
        return redirect(quarter)
    form = forms.CorrectionForm(request.POST or None, initial={"kind": "error" if entry else "omission"})
    # 错 and 重 are about a line; 漏 about none.
    form.fields["kind"].choices = [
        (value, label)
        for value, label in CorrectionKind.choices
        if (value == CorrectionKind.OMISSION) == (entry is None)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_report(
                by=request.user,
                quarter=quarter,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                entry=entry,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("纠错申请已提交，人大街道工委处理后会通知您。"))
            return redirect(quarter)
    return render(request, "records/correction_form.html", {"form": form, "quarter": quarter, "entry": entry})


@require_POST
def correction_resolve(request, pk):
    correction = get_object_or_404(Correction.objects.for_user(request.user).select_related("quarter"), pk=pk)
    form = forms.ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.correction_resolve(
                by=request.user,
                correction=correction,
                accept=form.cleaned_data["accept"],
                reply=form.cleaned_data["reply"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已处理，并通知了代表。"))
    else:
        messages.error(request, _("请选择处理结果。"))
    return redirect(correction.quarter)


@require_POST
def quarter_finalise(request, pk):
    quarter, _table = _quarter_for(request, pk)
    try:
        services.quarter_finalise(by=request.user, quarter=quarter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已定稿。"))
    return redirect(quarter)


@require_http_methods(["GET", "POST"])
def point_rules(request):
    street = _chosen(request, streets_where(request.user, TABLE))
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else timezone.localdate().year
    rules = points.rules_for(street, year)
    kinds = [(code, kind.label) for code, kind in sorted(registry.kinds().items())]
    can_edit = request.user.has_capability(Capability.MANAGE_POINT_RULES, street)
    form = forms.RulesForm(request.POST if request.method == "POST" else None, kinds=kinds, rules=rules)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.point_rules_save(
                    by=request.user,
                    street=street,
                    year=year,
                    base_points=form.cleaned_data["base_points"],
                    table=form.table(),
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("积分规则已保存；已公布的季度积分不变。"))
                return redirect(f"{request.path}?street={street.pk}&year={year}")
    return render(
        request,
        "records/point_rules.html",
        {
            "form": form,
            "street": street,
            "year": year,
            "can_edit": can_edit,
            "rules": rules,
            "rows": [(label, *rules.table.get(code, (0, None))) for code, label in kinds],
        },
    )


# --- 履职档案 ---------------------------------------------------------------------------------------------
def _archive_subject(request, street_id, person_id):
    street = get_object_or_404(Street.objects.for_user(request.user).select_related("committee"), pk=street_id)
    person = get_object_or_404(User, pk=person_id)
    if not services.can_read_archive(request.user, street, person):
        raise Http404
    return street, person


def archive(request, street_id, person_id, year):
    street, person = _archive_subject(request, street_id, person_id)
    items = selectors.archive_items(street, person.pk, year)
    filed = DutyArchive.objects.filter(street=street, person=person, year=year).first()
    return render(
        request,
        "records/archive.html",
        {
            "street": street,
            "person": person,
            "year": year,
            "page": paginate(request, items, per_page=50),
            "count": len(items),
            "kinds": registry.kinds(),
            "quotas": quotas([item for item, _entry in items]),
            "documents": documents_for(filed) if filed else [],
            "years": range(timezone.localdate().year, 2024, -1),
        },
    )


def term_summary(request, street_id, person_id):
    """The term's summary for re-nomination (Art 12(1)): per year the records by kind and the latest published
    year total and grade."""
    street, person = _archive_subject(request, street_id, person_id)
    start, end = settings.CONGRESS_TERM
    items = registry.items(people=[person.pk], streets=[street.pk], start=start, end=end)
    totals = {}
    for score in (
        QuarterScore.objects.filter(street=street, person=person, quarter__year__range=(start.year, end.year))
        .order_by("quarter__year", "quarter__number")
        .select_related("quarter")
    ):
        totals[score.quarter.year] = score
    years = []
    for year in range(start.year, end.year + 1):
        found = [item for item in items if item.date.year == year]
        kinds = sorted(selectors.kind_counts(found).items())
        years.append((year, len(found), [(registry.kind_label(k), n) for k, n in kinds], totals.get(year)))
    return render(
        request,
        "records/term_summary.html",
        {"street": street, "person": person, "start": start, "end": end, "years": years, "count": len(items)},
    )


@require_POST
def archive_pdf(request, street_id, person_id, year):
    street, person = _archive_subject(request, street_id, person_id)
    services.archive_issue(by=request.user, street=street, person=person, year=year)
    messages.success(request, _("正在生成PDF，稍候刷新即可下载。"))
    return redirect("records:archive", street.pk, person.pk, year)


def archive_document(request, pk):
    """The PDF of a 档案, for its deputy as well as staff (the documents app lets only VIEW_DUTY_POINTS in)."""
    document = get_object_or_404(Document.objects.for_user(request.user), pk=pk, template="records/archive_pdf.html")
    filed = get_object_or_404(DutyArchive, pk=document.object_id)
    _archive_subject(request, filed.street_id, filed.person_id)
    if document.state != DocumentState.DONE:
        raise Http404
    return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{document.number}.pdf")


def mine(request):
    """My 档案 for this year (the home section links here)."""
    streets = _holds_anywhere(request.user, Capability.VIEW_OWN_DUTIES)
    if not streets:
        raise PermissionDenied
    return redirect("records:archive", _chosen(request, streets).pk, request.user.pk, timezone.localdate().year)

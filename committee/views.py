from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee import audit, homepage, rules, selectors, services, todo
from committee.compliance import selectors as compliance
from committee.compliance.registry import Status
from committee.forms import MembershipEndForm, PersonAddForm, PersonUpdateForm
from committee.models import Membership, Street
from committee.pages import add_validation_error, keyset_paginate, paginate
from committee.permissions import get_for_user, street_refs_holding, streets_where
from committee.roles import Capability, Role

HOME_STREETS = 10


def home(request):
    """One home page; each section shows for the capability it needs (a person may hold several roles)."""
    user = request.user
    sections = street_refs_holding(user, Capability.VIEW_TODO, Capability.VIEW_DASHBOARD)
    dashboard_streets = sections[Capability.VIEW_DASHBOARD]
    today = timezone.localdate()
    year, quarter = compliance.quarter_of(today)
    columns = compliance.as_columns(dashboard_streets)
    todo_ids = {street.pk for street in sections[Capability.VIEW_TODO]}
    # The dashboard's grid, from its cache: the same figures as /dashboard/, not recomputed per visit. Few streets:
    # every street's counts under its column; many: the totals and the ten with the most shortfalls, whose cells
    # alone are read (with those of the streets of the to-do list).
    if not dashboard_streets:
        rows, street_rows, todo_rows = [], [], []
    elif columns:
        rows = compliance.grid(dashboard_streets, year, quarter, today)
        street_rows = compliance.street_rows(rows)
        todo_rows = [row for row in street_rows if row.street.pk in todo_ids]
    else:
        overview = compliance.Overview(dashboard_streets, year, quarter, today)
        rows, every = overview.rows, overview.street_rows()
        street_rows = overview.fill(sorted(every, key=compliance.shortfalls)[:HOME_STREETS])
        todo_rows = overview.fill([row for row in every if row.street.pk in todo_ids])
    # To-do: the rules at risk or missed in the streets this person works for (chapters add their own items).
    todo_rules = [
        (street_row.street, row, result)
        for i, row in enumerate(rows)
        for street_row in todo_rows
        if (result := street_row.cells[i][1]).status in (Status.AT_RISK, Status.MISSED)
    ]
    return render(
        request,
        "committee/home.html",
        {
            "todo_streets": sections[Capability.VIEW_TODO],
            "dashboard_streets": dashboard_streets,
            "streets": dashboard_streets,
            "rows": rows,
            "columns": columns,
            "street_rows": street_rows,
            "todo_rules": todo_rules,
            "todo_items": todo.items_for(user),
            "home_sections": homepage.sections_for(request),
            "year": year,
            "quarter": quarter,
            "memberships": user.active_memberships,
        },
    )


def street_list(request):
    streets = streets_where(request.user, Capability.VIEW_STREET)
    return render(
        request,
        "committee/street_list.html",
        {"staffing_rows": selectors.staffing_rows(streets)},
    )


def street_detail(request, pk):
    street = get_for_user(
        Street.objects.select_related("municipality", "committee", "council"),
        request.user,
        Capability.VIEW_STREET,
        pk=pk,
    )
    committee_members = (
        Membership.objects.active()
        .filter(street=street, role__in=[Role.DIRECTOR, Role.VICE_DIRECTOR, Role.STAFF])
        .select_related("user")
        .order_by("role", "pk")
    )
    return render(
        request,
        "committee/street_detail.html",
        {
            "street": street,
            "committee_members": committee_members,
            "staffing": selectors.staffing_by_street([street])[street.pk],
            "can_manage": request.user.has_capability(Capability.MANAGE_PEOPLE, street),
        },
    )


def person_list(request):
    streets = streets_where(request.user, Capability.VIEW_PEOPLE)
    memberships = Membership.objects.for_user(request.user).filter(street__in=streets).select_related("user", "street")
    query = request.GET.get("q", "").strip()
    if query:
        memberships = memberships.filter(
            Q(user__full_name__contains=query) | Q(user__mobile__contains=query) | Q(title__contains=query)
        )
    street_id = request.GET.get("street", "")
    if street_id.isdigit():
        memberships = memberships.filter(street_id=int(street_id))
    role = request.GET.get("role", "")
    if role in Role.values:
        memberships = memberships.filter(role=role)
    if request.GET.get("ended") != "1":
        memberships = memberships.active()
    return render(
        request,
        "committee/person_list.html",
        {
            "page": paginate(request, memberships.order_by("street", "role", "user__full_name", "pk")),
            "streets": streets,
            "roles": [c for c in Role.choices if c[0] != Role.CITY],
            "query": query,
            "manage_street_ids": {s.pk for s in streets if request.user.has_capability(Capability.MANAGE_PEOPLE, s)},
        },
    )


@require_http_methods(["GET", "POST"])
def person_add(request):
    streets = streets_where(request.user, Capability.MANAGE_PEOPLE)
    form = PersonAddForm(request.POST or None, streets=Street.objects.filter(pk__in=[s.pk for s in streets]))
    if request.method == "POST" and form.is_valid():
        try:
            membership, password = services.person_add(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if password:
                messages.success(
                    request,
                    _(
                        "已添加 %(name)s。登录账号：%(mobile)s，初始密码：%(password)s（仅显示一次，请转告本人并提醒修改）。"
                    )
                    % {"name": membership.user.full_name, "mobile": membership.user.mobile, "password": password},
                )
            else:
                messages.success(request, _("已为 %(name)s 增加角色。") % {"name": membership.user.full_name})
            return redirect("committee:person_list")
    return render(request, "committee/person_form.html", {"form": form, "title": _("添加人员")})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    membership = get_for_user(
        Membership.objects.select_related("user", "street"), request.user, Capability.MANAGE_PEOPLE, pk=pk
    )
    initial = {
        "full_name": membership.user.full_name,
        "mobile": membership.user.mobile,
        "email": membership.user.email,
        "title": membership.title,
        "full_time": membership.full_time,
    }
    form = PersonUpdateForm(request.POST or None, initial=initial, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(by=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": membership.user.full_name})
            return redirect("committee:person_list")
    return render(
        request, "committee/person_form.html", {"form": form, "title": _("修改人员信息"), "membership": membership}
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_for_user(
        Membership.objects.select_related("user", "street"), request.user, Capability.MANAGE_PEOPLE, pk=pk
    )
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(by=request.user, membership=membership, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记 %(membership)s 离任。") % {"membership": membership})
            return redirect("committee:person_list")
    return render(request, "committee/membership_end.html", {"form": form, "membership": membership})


def audit_list(request):
    streets = all_streets = streets_where(request.user, Capability.VIEW_AUDIT)
    street_id = request.GET.get("street", "")
    if street_id.isdigit():  # one street's entries (of the user's streets), and its people's
        streets = [street for street in streets if street.pk == int(street_id)] or streets
    parts = selectors.audit_entries_for(streets)
    query = request.GET.get("q", "").strip()
    if query:
        parts = [part.filter(Q(object_repr__contains=query) | Q(actor__full_name__contains=query)) for part in parts]
    page = keyset_paginate(request, *parts)
    rows = [(entry, audit.action_label(entry), audit.object_label(entry), audit.changes(entry)) for entry in page]
    return render(
        request,
        "committee/audit_list.html",
        {"page": page, "rows": rows, "streets": all_streets, "street_id": street_id, "query": query},
    )


def chapter_detail(request, number):
    try:
        chapter = rules.chapter(number)
    except LookupError:
        raise Http404 from None
    return render(request, "committee/chapter_detail.html", {"chapter": chapter})

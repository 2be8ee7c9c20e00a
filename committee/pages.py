"""What every list and form view shares: one page size, one way to show a service's refusal on a form."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.forms import Form
from django.utils import timezone
from django.utils.dateparse import parse_datetime

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for (?page=N); a bad number gives the first or last page, never an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_validation_error(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, so what was typed stays and nothing is saved.

    A refusal that names what it concerns (`ValidationError({"deadline": "…"})`, keyed by the service's keyword
    argument or the model field) goes to that field of the form, where the page scrolls to it; the form's
    `service_fields` may map a service's name to its own (`{"commitments": "commitment_1"}`). A refusal of the
    whole request, or one naming nothing the form shows (or a hidden field), goes to the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    aliases = getattr(form, "service_fields", {})
    for name, errors in error.error_dict.items():
        field = aliases.get(name, name)
        shown = field != NON_FIELD_ERRORS and field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if shown else None, [message for item in errors for message in item.messages])


class KeysetPage(list):
    """One page of a list too long to count, newest first: `older` / `newer` are the cursors of the pages beside
    it (None at either end). Each page costs one query however deep it is (an index on the ordering)."""

    older: str | None = None
    newer: str | None = None


def keyset_paginate(request, *querysets, field: str = "timestamp", per_page: int = PAGE_SIZE) -> KeysetPage:
    """The page of the union of `querysets` (rows ordered by `-field, -pk`) before `?older=` or after `?newer=` a
    cursor ("<ISO time>_<pk>"); a bad or missing cursor gives the newest page. One query per queryset, each
    limited to a page: give the parts of an OR as separate querysets so that each uses its own index."""
    older, newer = _cursor(request.GET.get("older")), _cursor(request.GET.get("newer"))
    cursor = newer or older
    rows = {}
    for queryset in querysets:
        if newer:
            moment, pk = newer
            queryset = queryset.filter(Q(**{f"{field}__gte": moment}) & (Q(**{f"{field}__gt": moment}) | Q(pk__gt=pk)))
        elif older:
            moment, pk = older
            queryset = queryset.filter(Q(**{f"{field}__lte": moment}) & (Q(**{f"{field}__lt": moment}) | Q(pk__lt=pk)))
        ordering = (field, "pk") if newer else (f"-{field}", "-pk")
        rows |= {row.pk: row for row in queryset.order_by(*ordering)[: per_page + 1]}
    ordered = sorted(rows.values(), key=lambda row: (getattr(row, field), row.pk), reverse=not newer)
    page = KeysetPage(ordered[:per_page])
    more = len(ordered) > per_page  # beyond the page, in the direction it was asked for
    if newer:
        page.reverse()
    has_newer, has_older = (more, True) if newer else (cursor is not None, more)
    if page:
        page.newer = _cursor_of(page[0], field) if has_newer else None
        page.older = _cursor_of(page[-1], field) if has_older else None
    return page


def _cursor_of(row, field: str) -> str:
    return f"{getattr(row, field).isoformat()}_{row.pk}"


def _cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    moment, _, pk = (value or "").rpartition("_")
    parsed = parse_datetime(moment) if moment else None
    if parsed is None or not pk.isdigit() or timezone.is_naive(parsed):
        return None
    return parsed, int(pk)

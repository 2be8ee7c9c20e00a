"""The dashboard PDF's content, built by the worker from an Export row (the same selectors as the page)."""

from django.utils import timezone

from committee.compliance import selectors
from committee.models import Street


def context(export) -> dict:
    streets = list(Street.objects.filter(pk__in=export.street_ids).select_related("municipality"))
    today = timezone.localdate()
    rows = selectors.grid(streets, export.year, export.quarter, today)
    filters = export.filters
    kept = selectors.arrange(
        rows, status=filters.get("status", ""), rule_id=filters.get("rule", ""), sort=filters.get("sort", "street")
    )
    columns = selectors.as_columns(streets)
    if columns:
        streets, rows = selectors.columns_of(rows, kept)
    return {
        "year": export.year,
        "quarter": export.quarter,
        "rows": rows,
        "streets": streets,
        "columns": columns,
        "street_rows": kept,
        "generated_at": timezone.localtime(),
        "user": export.requested_by,
    }

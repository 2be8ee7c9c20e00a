"""What every list and form view shares: one page size, one way to show a service's refusal on a form."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form

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

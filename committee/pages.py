"""What every list and form view shares: one page size, one way to show a service's refusal on a form."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import Form

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    """The page the request asks for (?page=N); a bad number gives the first or last page, never an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def add_validation_error(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, so what was typed stays and nothing is saved."""
    for message in error.messages:
        form.add_error(None, message)

"""Sections chapter apps add to the home page, below the to-do list. Each app contributes through a provider in
its own `homepage.py` (autodiscovered like `todo.py`), so `committee` imports no chapter app:

    from committee.homepage import Section, register

    @register
    def my_duties(request):
        if Capability.VIEW_OWN_DUTIES not in request.user.capabilities_anywhere():
            return None                          # no query for people it does not concern
        return Section("records/_home.html", {...}, order=10)

A provider costs a fixed number of queries for the people it concerns and none for the others. The deputy's home
is built this way: my duties and points (deputies.records), and whatever later chapters add (my suggestions, my QR
page) as their own sections.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50  # lower first


Provider = Callable[[object], Section | None]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


def sections_for(request) -> list[Section]:
    found = [section for provider in _providers if (section := provider(request)) is not None]
    return sorted(found, key=lambda section: section.order)

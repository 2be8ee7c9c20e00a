"""The home page's to-do list. Each app contributes items through a provider in its own `todo.py`
(autodiscovered like `compliance.py`), so `committee` imports no chapter app:

    from committee.todo import Item, register

    @register
    def cases_to_handle(user):
        if Capability.HANDLE_OPINIONS not in user.capabilities_anywhere():
            return []                      # no query for people it does not concern
        n = unit_inbox(user).filter(...).count()   # one query at most
        return [Item(_("待办理的意见建议"), reverse("supervision:inbox"), count=n)] if n else []

A provider runs at most one query, and none for people it does not concern, so the home page's query count stays
fixed.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    count: int | None = None
    note: str = ""
    flag: str = ""  # a short mark shown as a badge, e.g. "已逾期"
    tone: str = ""  # the badge's Bootstrap colour: "danger", "warning"…


Provider = Callable[[object], list[Item]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


def items_for(user) -> list[Item]:
    return [item for provider in _providers for item in provider(user)]

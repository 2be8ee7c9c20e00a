"""The deputy's home: my latest suggestions and their state (committee/homepage.py)."""

from committee.homepage import Section, register
from deputies.suggestions.selectors import home_summary


@register
def my_suggestions(request):
    summary = home_summary(request.user)  # None, without a query, for people who draft none
    return None if summary is None else Section("suggestions/_home.html", summary, order=20)

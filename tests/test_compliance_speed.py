"""The dashboard's per-request work (issue 14): the cached grid holds plain strings (a lazy translation unpickles
by building a class, ~0.3 ms each), and the many-streets cells are rendered in Python with the same markup."""

import datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from committee.compliance import cache as grid_cache
from committee.compliance import registry, selectors
from committee.compliance.registry import Result, Rule, Status
from committee.compliance.selectors import StreetRow

YEAR, QUARTER = 2026, 4


def test_the_cached_grid_holds_plain_strings_even_for_a_lazy_summary(street, monkeypatch):
    lazy = Rule(
        id="99(1)",
        description="test",
        period=registry.Period.YEAR,
        evaluate=lambda streets, window, today: {s.pk: Result(Status.MET, gettext_lazy("无")) for s in streets},
    )
    monkeypatch.setitem(registry._rules, lazy.id, lazy)
    stored = {}
    monkeypatch.setattr(grid_cache, "get_or_compute", lambda ids, period, compute: stored.setdefault("v", compute()))
    results = selectors.evaluate([street], YEAR, QUARTER, datetime.date(2026, 12, 1))
    assert results["99(1)"][street.pk] == Result(Status.MET, "无")
    # In brief: a string of status codes and one of summaries a street, plain str (no lazy translation).
    cached = stored["v"]
    assert cached["codes"] == {
        street.pk: "".join(selectors.CODE[r.status] for r in (results[rule.id][street.pk] for rule in registry.rules()))
    }
    summaries = cached["summaries"][street.pk].split(selectors.SEPARATOR)
    assert len(summaries) == len(registry.rules()) and "无" in summaries
    assert not any(isinstance(summary, Promise) for summary in summaries)
    assert all(type(value) is str for value in [*cached["codes"].values(), *cached["summaries"].values()])


def test_a_street_rows_marks_link_each_rule_and_escape_the_summary(street):
    rule_a = registry.rule("22")
    rule_b = registry.rule("21(1)")
    row = StreetRow(street, [(rule_a, Result(Status.MET, "已列入<预算>")), (rule_b, Result(Status.MISSED, "缺 1 人"))])
    html = Template("{% load compliance %}{% street_marks row 2026 4 %}").render(Context({"row": row}))
    cell = reverse("compliance:cell", args=[street.pk, "21(1)"])
    assert html.count("<td ") == 2
    assert f'href="{cell}?year=2026&amp;quarter=4"' in html
    assert 'class="status-met' in html and 'class="status-missed' in html
    assert "已列入&lt;预算&gt;" in html and "<预算>" not in html
    assert ">√</a>" in html and ">×</a>" in html
    assert f'aria-label="{rule_b.label} 未达标"' in html

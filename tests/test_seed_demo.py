import ast
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command

from committee.models import Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User
from committee.roles import Role

ROOT = Path(__file__).resolve().parent.parent
MODELS = (Municipality, Street, StreetCommittee, ResidentsCouncil, Membership)


def snapshot():
    users = list(
        User.objects.order_by("pk").values("pk", "username", "full_name", "mobile", "password", "is_superuser")
    )
    rows = [serializers.serialize("json", model.objects.order_by("pk")) for model in MODELS]
    return users, rows


def test_seed_demo_twice_gives_the_same_data(demo_data):
    first = snapshot()  # the session seeded the demo once already (tests/conftest.py)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first


def test_the_demo_has_four_streets_with_an_account_per_role(demo_data):
    assert list(Street.objects.values_list("name", flat=True)) == ["望春门街道", "新湘路街道", "昆仑桥街道", "东山街道"]
    for street in Street.objects.all():
        roles = set(
            Membership.objects.filter(street=street, user__username__startswith=street.slug).values_list(
                "role", flat=True
            )
        )
        assert roles == set(Role.values) - {Role.CITY}
        assert User.objects.get(username=f"{street.slug}_staff").has_usable_password()
    assert Membership.objects.filter(role=Role.CITY).count() == 1


def test_every_street_meets_the_staffing_rule_and_has_deputies(demo_data):
    from committee.selectors import staffing_by_street

    streets = list(Street.objects.all())
    assert all(s.meets_article_21 for s in staffing_by_street(streets).values())
    for street in streets:
        assert Membership.objects.filter(street=street, role=Role.DEPUTY).count() >= 20


def test_demo_names_include_characters_outside_gb2312(demo_data):
    names = "".join(User.objects.values_list("full_name", flat=True))
    outside = {ch for ch in names if not _in_gb2312(ch)}
    assert outside & set("喆堃玥赟")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_the_command_prints_the_accounts_and_password(demo_data, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Renda@2025" in out
    assert "wangchunmen_staff" in out
    assert "xiangxiang_city" in out


# --- The shape of demo data: registered steps, no app importing another's demo -------------------------------------
def test_the_steps_run_after_what_they_read(demo_data):
    from committee import demo

    names = [name for name, _ in demo.steps()]
    assert names[0] == "committee"
    assert names.index("supervision") < names.index("activities") < names.index("meetings")
    assert {"funding", "notices", "party_reports"} <= set(names)


def test_an_unknown_or_circular_step_stops_the_seed_with_a_message(monkeypatch):
    from committee import demo

    def nothing(*, background=False):
        pass

    monkeypatch.setattr(demo, "_steps", {"committee": (nothing, frozenset()), "a": (nothing, {"committee", "nobody"})})
    with pytest.raises(ValueError, match="nobody"):
        demo.steps()
    monkeypatch.setattr(
        demo, "_steps", {"committee": (nothing, frozenset()), "a": (nothing, {"b"}), "b": (nothing, {"a"})}
    )
    with pytest.raises(ValueError, match="wait on each other"):
        demo.steps()


def test_no_app_imports_another_apps_demo_module():
    """The core's demo API (`from committee import demo`) is the only demo module an app's demo.py may import."""
    for path in ROOT.glob("**/demo.py"):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            for name in imported:
                assert not (name.endswith(".demo") and name != "committee.demo"), f"{path}: imports {name}"
                assert ".demo." not in name or name.startswith("committee.demo."), f"{path}: imports {name}"


def test_seed_demo_leaves_the_documents_to_the_worker(demo_data, django_capture_on_commit_callbacks):
    from committee.documents.models import DocumentState
    from committee.party_reports.models import PartyReport

    PartyReport.objects.filter(street__slug="wangchunmen", year=2026, quarter=3).delete()
    with django_capture_on_commit_callbacks() as enqueued:
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report = PartyReport.objects.select_related("document").get(street__slug="wangchunmen", year=2026, quarter=3)
    assert report.document.state == DocumentState.PENDING and not report.document.file
    assert enqueued  # the render task goes to the worker once the seed commits

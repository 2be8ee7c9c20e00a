"""The duty pages' writes: publishing a quarter, a deputy's correction request, staff resolving it, finalising,
the director's rule table (audited), staff recording an organised activity, the 档案 PDF."""

import datetime

import pytest
from django.urls import reverse

from committee.documents.models import Document, DocumentState
from committee.models import AuditEntry, Membership, User
from committee.roles import Role
from deputies.records.models import (
    Claim,
    Correction,
    CorrectionState,
    PointEntry,
    PointRule,
    Quarter,
    QuarterScore,
)


def _login(client, username):
    user = User.objects.get(username=username)
    client.force_login(user, backend="committee.auth.MobileOrUsernameBackend")
    return user


@pytest.fixture
def open_quarter(street):
    """2026 Q3 of 望春门, reopened for corrections."""
    quarter = Quarter.objects.get(street=street, year=2026, number=3)
    Quarter.objects.filter(pk=quarter.pk).update(
        state="published", finalised_by=None, finalised_on=None, corrections_until=datetime.date(2099, 1, 1)
    )
    quarter.refresh_from_db()
    return quarter


def test_staff_publish_a_finished_quarter_and_the_deputies_are_notified(client, street):
    Quarter.objects.filter(street=street, year=2025).delete()
    _login(client, "wangchunmen_staff")
    response = client.post(reverse("records:quarter_publish"), {"street": street.pk, "year": 2025, "number": 4})
    quarter = Quarter.objects.get(street=street, year=2025, number=4)
    assert response.status_code == 302 and response["Location"] == quarter.get_absolute_url()
    deputies = Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None).count()
    assert QuarterScore.objects.filter(quarter=quarter).count() == deputies
    from committee.notices.models import Notice

    assert Notice.objects.filter(event_key=f"duty-points:{quarter.pk}:published").exists()
    # Twice is refused, with a message, and changes nothing.
    client.post(reverse("records:quarter_publish"), {"street": street.pk, "year": 2025, "number": 4})
    assert Quarter.objects.filter(street=street, year=2025, number=4).count() == 1


def test_a_deputy_reports_an_error_and_staff_accept_it(client, open_quarter):
    deputy = _login(client, "wangchunmen_deputy")
    entry = PointEntry.objects.filter(quarter=open_quarter, person=deputy, points__gt=0).first()
    before = QuarterScore.objects.get(quarter=open_quarter, person=deputy).points
    url = reverse("records:correction_add", args=[open_quarter.pk]) + f"?entry={entry.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "error", "text": "这次活动我请假了，没有参加。"})
    assert response.status_code == 302
    correction = Correction.objects.get(entry=entry, state=CorrectionState.OPEN)
    _login(client, "wangchunmen_staff")
    page = client.get(open_quarter.get_absolute_url()).content.decode()
    assert "这次活动我请假了" in page
    client.post(reverse("records:correction_resolve", args=[correction.pk]), {"accept": "yes", "reply": "已核实"})
    correction.refresh_from_db()
    assert correction.state == CorrectionState.ACCEPTED
    assert QuarterScore.objects.get(quarter=open_quarter, person=deputy).points == before - entry.points


def test_another_deputys_line_cannot_be_reported(client, open_quarter):
    _login(client, "wangchunmen_deputy")
    other = PointEntry.objects.filter(quarter=open_quarter).exclude(person__username="wangchunmen_deputy").first()
    url = reverse("records:correction_add", args=[open_quarter.pk]) + f"?entry={other.pk}"
    assert client.get(url).status_code == 404


def test_finalising_waits_for_the_window(client, open_quarter):
    _login(client, "wangchunmen_staff")
    client.post(reverse("records:quarter_finalise", args=[open_quarter.pk]))
    open_quarter.refresh_from_db()
    assert not open_quarter.is_final


def test_the_director_edits_the_rule_table_and_it_is_audited(client, street):
    _login(client, "wangchunmen_director")
    url = reverse("records:point_rules") + "?year=2027"
    form = client.get(url).context["form"]
    data = {name: ("" if field.initial is None else field.initial) for name, field in form.fields.items()}
    data["points_deed"] = "8"
    response = client.post(url, data)
    assert response.status_code == 302
    rule = PointRule.objects.get(scheme__street=street, scheme__year=2027, kind="deed")
    assert rule.points == 8
    assert AuditEntry.objects.filter(object_pk=str(rule.pk), content_type__model="pointrule").exists()


def test_staff_cannot_edit_the_rule_table(client, demo_data):
    _login(client, "wangchunmen_staff")
    assert client.post(reverse("records:point_rules"), {"base_points": "10"}).status_code == 403


def test_staff_record_an_organised_activity_once_for_all_its_deputies(client, street):
    _login(client, "wangchunmen_staff")
    people = list(
        Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None).values_list("user_id", flat=True)[:12]
    )
    response = client.post(
        reverse("records:activity_add"),
        {"kind": "legal_publicity", "title": "国家安全日普法", "date": "2026-04-15", "participants": people},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(title="国家安全日普法")
    assert claim.participant_links.count() == 12


def test_the_archive_pdf_is_filed_and_the_deputy_downloads_it(client, street, django_capture_on_commit_callbacks):
    deputy = _login(client, "wangchunmen_deputy")
    document = Document.objects.get(template="records/archive_pdf.html", street=street)
    assert document.state == DocumentState.DONE  # the demo rendered it inline
    response = client.get(reverse("records:archive_document", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with django_capture_on_commit_callbacks():
        client.post(reverse("records:archive_pdf", args=[street.pk, deputy.pk, 2026]))
    assert Document.objects.filter(template="records/archive_pdf.html", street=street).count() == 2

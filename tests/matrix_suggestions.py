"""Permission-matrix rows for deputies' suggestions, leader contacts and consultations (deputies.suggestions).
The matrix's deputy (wangchunmen_deputy) is the author of 望春门's demo suggestions; the contacts and the
consultation concern other deputies."""

from django.urls import reverse

from deputies.suggestions.models import LeaderContact, MeasureConsultation, Suggestion, SuggestionState
from tests.matrix import every, row, street

READ = row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200)
DRAFT = row(staff=403, other_staff=403, director=403, deputy=200, handling_unit=403, city=403)
MANAGE = row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403)
READ_OWN_STREET = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=404, city=200)
# Contacts and consultations the matrix's deputy is not part of.
STREET_READERS = row(staff=200, other_staff=404, director=200, deputy=404, handling_unit=404, city=200)
# A draft sent back: the author edits it; staff read it but do not edit (403); city never sees it (404).
AUTHOR_ONLY = row(staff=403, other_staff=404, director=403, deputy=200, handling_unit=404, city=404)


def _suggestion(state):
    return lambda: Suggestion.objects.filter(street=street(), state=state).order_by("pk").first()


def _url(name, obj):
    return lambda: reverse(f"suggestions:{name}", args=[obj().pk])


ROWS = {
    "suggestions:list": (lambda: reverse("suggestions:list"), READ),
    "suggestions:add": (lambda: reverse("suggestions:add"), DRAFT),
    "suggestions:similar": (lambda: reverse("suggestions:similar") + "?title=路灯改造", DRAFT),
    "suggestions:detail": (_url("detail", _suggestion(SuggestionState.SUBMITTED)), READ_OWN_STREET),
    "suggestions:edit": (_url("edit", _suggestion(SuggestionState.SENT_BACK)), AUTHOR_ONLY),
    "suggestions:act": (
        lambda: reverse("suggestions:act", args=[_suggestion(SuggestionState.DRAFT)().pk, "send"]),
        every(405),  # POST only
    ),
    "suggestions:contact_list": (lambda: reverse("suggestions:contact_list"), READ),
    "suggestions:contact_add": (lambda: reverse("suggestions:contact_add"), MANAGE),
    "suggestions:contact_detail": (
        _url("contact_detail", lambda: LeaderContact.objects.filter(street=street()).order_by("pk").first()),
        STREET_READERS,
    ),
    "suggestions:contact_edit": (
        _url("contact_edit", lambda: LeaderContact.objects.filter(street=street()).order_by("pk").first()),
        row(staff=200, other_staff=404, director=200, deputy=404, handling_unit=404, city=403),
    ),
    "suggestions:consultation_list": (lambda: reverse("suggestions:consultation_list"), READ),
    "suggestions:consultation_add": (lambda: reverse("suggestions:consultation_add"), MANAGE),
    "suggestions:consultation_detail": (
        _url("consultation_detail", lambda: MeasureConsultation.objects.filter(street=street()).first()),
        STREET_READERS,
    ),
    "suggestions:opinion_case": (lambda: reverse("suggestions:opinion_case", args=[1]), every(405)),  # POST only
}

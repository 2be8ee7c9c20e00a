"""committee/public.py: the no-login forms' refusal of bots (honeypot, time stamp) and floods (rate per address)."""

import time

import pytest
from django import forms
from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory

from committee.public import PublicForm, too_many


class MessageForm(PublicForm):
    content = forms.CharField()


def _data(**overrides):
    started = signing.dumps(time.time() - 10, salt="committee.public.form")
    return {"content": "路灯坏了", "website": "", "started": started} | overrides


def test_a_person_filling_the_form_is_accepted():
    assert MessageForm(_data()).is_valid()


def test_the_honeypot_filled_is_refused():
    form = MessageForm(_data(website="http://spam.example"))
    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "honeypot"


def test_a_form_posted_faster_than_a_person_can_is_refused():
    form = MessageForm(_data(started=signing.dumps(time.time(), salt="committee.public.form")))
    assert not form.is_valid()
    assert "提交过快" in str(form.errors)


def test_a_forged_or_missing_time_stamp_is_refused():
    for started in ("", "12345", signing.dumps(time.time() - 10, salt="another")):
        form = MessageForm(_data(started=started))
        assert not form.is_valid()
        assert form.errors.as_data()["__all__"][0].code == "expired"


@pytest.mark.django_db
def test_posts_over_the_rate_are_refused_per_address(settings):
    settings.PUBLIC_FORM_RATE = "3/h"
    cache.clear()
    factory = RequestFactory()
    first = [too_many(factory.post("/x", REMOTE_ADDR="10.0.0.1"), "test") for _ in range(4)]
    assert first == [False, False, False, True]
    assert too_many(factory.post("/x", REMOTE_ADDR="10.0.0.2"), "test") is False
    assert too_many(factory.get("/x", REMOTE_ADDR="10.0.0.1"), "test") is False  # reading the form is free

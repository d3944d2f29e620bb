"""The abuse protection of the public's forms (rightsnet/abuse.py) on its own."""

import time

import pytest
from django import forms
from django.core import signing
from django.test import RequestFactory
from django.utils import translation

from rightsnet import abuse
from rightsnet.abuse import LIMIT_MESSAGES, GuardedForm, over_limit, sender_hash
from tests.factories import OrganizationFactory


class MessageForm(GuardedForm):
    text = forms.CharField(max_length=20)


def started(seconds_ago: float) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=abuse._SALT)


def bound(**data) -> MessageForm:
    return MessageForm({"text": "hello", "homepage": "", "started": started(60), **data})


# sender_hash


def test_the_same_sender_gives_the_same_hash_whatever_the_case_and_spaces():
    assert sender_hash("Anna@Example.org ") == sender_hash("anna@example.org")
    assert sender_hash("anna@example.org") != sender_hash("anne@example.org")


def test_the_hash_does_not_hold_the_address_and_depends_on_the_secret_key(settings):
    digest = sender_hash("anna@example.org")
    assert len(digest) == 32 and "anna" not in digest
    settings.SECRET_KEY = "another secret key, for another site " * 2
    assert sender_hash("anna@example.org") != digest


# GuardedForm


def test_a_new_form_carries_a_signed_start_time_and_a_hidden_honeypot():
    form = MessageForm()
    when = signing.loads(form.initial["started"], salt=abuse._SALT)
    assert abs(time.time() - when) < 5
    assert 'type="hidden"' in str(form["started"])
    assert 'tabindex="-1"' in str(form["homepage"])


def test_a_form_a_person_filled_in_passes(settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 3
    form = bound()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == "hello"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (lambda: {"homepage": "http://spam.example"}, "honeypot"),
        (lambda: {"started": started(1)}, "too_fast"),
        (lambda: {"started": started(2 * 24 * 3600)}, "expired"),
        (lambda: {"started": "not signed"}, "expired"),
        (lambda: {"started": signing.dumps(time.time(), salt="another salt")}, "expired"),
        (lambda: {"started": signing.dumps("yesterday", salt=abuse._SALT)}, "expired"),
        (lambda: {"started": ""}, "expired"),
    ],
)
def test_what_a_person_would_not_send_is_refused(settings, data, code):
    """(The data is made when the test runs: a start time is relative to now.)"""
    settings.RIGHTSNET_FORM_MIN_SECONDS = 3
    form = bound(**data())
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["__all__"]] == [code]


def test_the_messages_are_translated():
    for lang, honeypot, expired in (
        ("ru", "Похоже, форму заполнила программа", "Форма открыта слишком давно"),
        ("en", "looks as if a program filled it in", "This form was opened too long ago"),
    ):
        with translation.override(lang):
            assert honeypot in str(GuardedForm.messages["honeypot"])
            assert expired in str(GuardedForm.messages["expired"])


def test_an_expired_form_is_shown_again_with_a_fresh_start_time(settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 0
    old = started(2 * 24 * 3600)
    form = bound(started=old)
    assert not form.is_valid()
    fresh = form.data["started"]
    assert fresh != old
    # The visitor sends the form shown again: it passes.
    assert MessageForm({**form.data, "started": fresh}).is_valid()


def test_a_form_sent_too_fast_keeps_its_start_time(settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 30
    value = started(10)
    form = bound(started=value)
    assert not form.is_valid()
    assert form.data["started"] == value


# over_limit


@pytest.fixture
def small_limits(settings):
    settings.RIGHTSNET_FORM_LIMITS = {
        "ip": (3, 3600),
        "sender": (2, 3600),
        "organization": (4, 86400),
    }


def request_from(address: str = "192.0.2.1", **meta):
    return RequestFactory().post("/", REMOTE_ADDR=address, **meta)


def test_limit_per_sender_counts_the_address_whatever_its_case(small_limits):
    assert over_limit(request_from("192.0.2.1"), "contact", sender="a@example.org") is None
    assert over_limit(request_from("192.0.2.2"), "contact", sender="A@example.org") is None
    assert over_limit(request_from("192.0.2.3"), "contact", sender="a@example.org") == "sender"
    assert over_limit(request_from("192.0.2.4"), "contact", sender="b@example.org") is None


def test_limit_per_client_address(small_limits):
    for n in range(3):
        assert over_limit(request_from(), "contact", sender=f"{n}@example.org") is None
    assert over_limit(request_from(), "contact", sender="x@example.org") == "ip"
    assert over_limit(request_from("192.0.2.9"), "contact", sender="y@example.org") is None


@pytest.mark.django_db
def test_limit_per_organization(small_limits):
    group, other = OrganizationFactory(), OrganizationFactory()
    for n in range(4):
        request = request_from(f"198.51.100.{n}")
        assert over_limit(request, "contact", sender=f"{n}@example.org", organization=group) is None
    request = request_from("198.51.100.9")
    assert over_limit(request, "contact", sender="z@example.org", organization=group) == (
        "organization"
    )
    assert over_limit(request, "contact", sender="w@example.org", organization=other) is None


def test_the_first_limit_exceeded_is_named_and_each_form_counts_apart(small_limits):
    for _ in range(3):
        over_limit(request_from(), "contact", sender="a@example.org")
    # Over both the address's and the sender's limits: the address is named first.
    assert over_limit(request_from(), "contact", sender="a@example.org") == "ip"
    assert over_limit(request_from(), "suggest", sender="a@example.org") is None


def test_a_window_that_has_passed_starts_again(small_limits, settings, monkeypatch):
    settings.RIGHTSNET_FORM_LIMITS = {**settings.RIGHTSNET_FORM_LIMITS, "sender": (1, 60)}
    now = time.time()
    monkeypatch.setattr(abuse.time, "time", lambda: now)
    assert over_limit(request_from(), "contact", sender="a@example.org") is None
    assert over_limit(request_from(), "contact", sender="a@example.org") == "sender"
    monkeypatch.setattr(abuse.time, "time", lambda: now + 61)
    assert over_limit(request_from(), "contact", sender="a@example.org") is None


def test_the_client_address_is_read_behind_the_trusted_proxies(small_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert over_limit(request, "contact") is None
    # Many clients behind one proxy are not one client; one client is.
    for _ in range(3):
        assert (
            over_limit(request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50"), "c") is None
        )
    request = request_from("10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert over_limit(request, "c") == "ip"


def test_each_limit_has_a_translated_message():
    assert set(LIMIT_MESSAGES) == {"ip", "sender", "organization"}
    with translation.override("ru"):
        assert "Слишком много сообщений из вашей сети" in str(LIMIT_MESSAGES["ip"])
    with translation.override("en"):
        assert "Too many messages from your network" in str(LIMIT_MESSAGES["ip"])

"""Writing to a group through the site, end to end against a real SMTP server.

The message reaches the organization's address (public or restricted) with the
sender's address as Reply-To; no page the sender sees shows the organization's
address; each attempt leaves one log row without the text or an address; the abuse
protection and a mail server that is down answer with a translated message, the
visitor's text kept in the form, and never a server error.
"""

import logging
import socket
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.models import ContactMessage, Organization
from rightsnet.abuse import _SALT, sender_hash
from tests.factories import OrganizationFactory
from tests.html import page
from tests.smtp import send_to

pytestmark = pytest.mark.django_db

RESTRICTED_ADDRESS = "hidden-zq-contact@example.org"
PUBLIC_ADDRESS = "open-zq-contact@example.org"
SENDER = "visitor@example.net"
TEXT = "Здравствуйте! We would like to share our experience of court monitoring."

TEXTS = {
    "ru": {
        "write": "Написать в организацию",
        "sent": "Ваше сообщение отправлено организации «Группа под угрозой» по электронной почте.",
        "not_sent": "Не отправлено: почтовая служба сейчас не работает.",
        "too_long": "Сообщение слишком длинное: допускается не больше 5000 знаков, а в нём 5001.",
        "sender_limit": "Слишком много сообщений с этого адреса.",
        "no_email": "В справочнике нет адреса электронной почты этой организации",
        "closed": "Организация закрыта, поэтому сайт не отправляет ей сообщения",
        "next": "Что будет дальше",
    },
    "en": {
        "write": "Write to this group",
        "sent": "Your message was sent to Group at risk by email.",
        "not_sent": "Not sent: the mail service is not working right now.",
        "too_long": "The message is too long: at most 5000 characters, and it has 5001.",
        "sender_limit": "Too many messages from this email address.",
        "no_email": "The directory has no email address for this organization",
        "closed": "This organization is closed, so the site does not send messages to it",
        "next": "What happens next",
    },
}


@pytest.fixture
def restricted():
    return OrganizationFactory(
        name_ru="Группа под угрозой", name_en="Group at risk", slug="group-at-risk",
        email=RESTRICTED_ADDRESS, contacts_public=False,
    )  # fmt: skip


@pytest.fixture
def public_org():
    return OrganizationFactory(
        name_ru="Открытая группа", name_en="Open group", slug="open-group", email=PUBLIC_ADDRESS
    )


def contact_url(organization, lang="ru") -> str:
    with translation.override(lang):
        return reverse("directory:organization_contact", kwargs={"slug": organization.slug})


def started(seconds_ago: float = 60) -> str:
    """The form's signed start time, as if it was opened ``seconds_ago``."""
    return signing.dumps(time.time() - seconds_ago, salt=_SALT)


def form_data(**overrides) -> dict:
    data = {"name": "Анна Петрова", "email": SENDER, "message": TEXT, "homepage": ""}
    data["started"] = started()
    data.update(overrides)
    return data


def text_of(response) -> str:
    return response.content.decode()


def assert_no_address(response, *addresses):
    body = text_of(response)
    for address in addresses or (RESTRICTED_ADDRESS, PUBLIC_ADDRESS):
        assert address not in body


def form_errors(response) -> str:
    return " ".join(e.text for e in page(response).find_all(class_="form-errors"))


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_message_reaches_a_group_whose_contacts_are_restricted(
    client, smtp_server, restricted, lang, settings
):
    settings.DEFAULT_FROM_EMAIL = "rightsnet <noreply@rightsnet.example>"
    url = contact_url(restricted, lang)
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert TEXTS[lang]["next"] in text_of(form_page)
    assert page(form_page).find("form", class_="contact-form").find_all("textarea")
    assert_no_address(form_page)

    response = client.post(url, form_data())

    assert response.status_code == 200
    assert TEXTS[lang]["sent"] in page(response).find("p", class_="contact-sent").text
    assert_no_address(response)
    (mail,) = smtp_server.messages
    assert mail.envelope_to == [RESTRICTED_ADDRESS]
    assert mail["To"] == RESTRICTED_ADDRESS
    assert mail["Reply-To"] == SENDER
    assert mail["From"] == "rightsnet <noreply@rightsnet.example>"
    assert mail.envelope_from == "noreply@rightsnet.example"
    assert mail["Subject"] == (
        "Сообщение через rightsnet / Message via rightsnet: Группа под угрозой"
    )
    assert "отправлено через форму на сайте rightsnet" in mail.body
    assert "sent through the contact form of the rightsnet website" in mail.body
    assert "Анна Петрова <visitor@example.net>:" in mail.body
    assert TEXT in mail.body
    (row,) = ContactMessage.objects.all()
    assert (row.organization, row.outcome, row.reason, row.language) == (
        restricted, "delivered", "", lang
    )  # fmt: skip
    assert row.sender_hash == sender_hash(SENDER)


def test_the_log_keeps_neither_the_text_nor_an_address(client, smtp_server, restricted):
    client.post(contact_url(restricted), form_data())
    (row,) = ContactMessage.objects.values()
    stored = " ".join(str(value) for value in row.values())
    for secret in (TEXT, "Здравствуйте", SENDER, "visitor", RESTRICTED_ADDRESS, "Анна"):
        assert secret not in stored


def test_a_group_with_public_contacts_gets_it_and_the_pages_do_not_repeat_its_address(
    client, smtp_server, public_org
):
    url = contact_url(public_org, "en")
    assert_no_address(client.get(url), PUBLIC_ADDRESS)
    response = client.post(url, form_data())
    assert response.status_code == 200
    assert "Your message was sent to Open group by email." in text_of(response)
    assert_no_address(response, PUBLIC_ADDRESS)
    (mail,) = smtp_server.messages
    assert mail.envelope_to == [PUBLIC_ADDRESS]
    assert mail["Subject"].endswith(": Открытая группа")


def test_a_name_with_line_breaks_adds_no_header(client, smtp_server, restricted):
    name = "Spammer\r\nBcc: victim@example.com\nSubject: hi"
    response = client.post(contact_url(restricted), form_data(name=name))
    assert response.status_code == 200
    (mail,) = smtp_server.messages
    assert mail.envelope_to == [RESTRICTED_ADDRESS]
    assert mail["Bcc"] is None
    assert mail["Subject"].startswith("Сообщение через rightsnet")
    assert "Spammer Bcc: victim@example.com Subject: hi <visitor@example.net>:" in mail.body


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_organization_page_links_to_the_form_when_it_has_an_address(
    client, restricted, public_org, lang
):
    without = OrganizationFactory(slug="no-address", email="")
    closed = OrganizationFactory(
        slug="closed-group", email="closed@example.org", status=Organization.Status.CLOSED
    )
    for organization, linked in ((restricted, True), (public_org, True), (without, False),
                                 (closed, False)):  # fmt: skip
        with translation.override(lang):
            url = organization.get_absolute_url()
        card = page(client.get(url)).find("aside", class_="contact-card")
        links = [a for a in card.find_all("a") if a["href"] == contact_url(organization, lang)]
        assert bool(links) == linked, organization.slug
        if linked:
            assert links[0].text == TEXTS[lang]["write"]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_without_an_address_the_page_points_to_the_editors(client, smtp_server, settings, lang):
    without = OrganizationFactory(slug="no-address", email="", name_en="Quiet group")
    settings.RIGHTSNET_CONTACT_EMAIL = "editors@rightsnet.example"
    response = client.get(contact_url(without, lang))
    assert response.status_code == 200
    note = page(response).find("div", class_="contact-unavailable")
    assert TEXTS[lang]["no_email"] in note.text
    assert [a["href"] for a in note.find_all("a")] == ["mailto:editors@rightsnet.example"]
    assert not page(response).find_all("form", class_="contact-form")

    settings.RIGHTSNET_CONTACT_EMAIL = ""
    response = client.get(contact_url(without, lang))
    note = page(response).find("div", class_="contact-unavailable")
    assert not note.find_all("a")
    none_yet = "пока не опубликовали адрес" if lang == "ru" else "not published a contact address"
    assert none_yet in note.text
    # A message posted anyway goes nowhere and is not logged as sent.
    assert client.post(contact_url(without, lang), form_data()).status_code == 200
    assert smtp_server.messages == []
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_closed_group_is_not_written_to(client, smtp_server, lang):
    closed = OrganizationFactory(
        slug="closed-group", email="closed@example.org", status=Organization.Status.CLOSED,
        contacts_public=False,
    )  # fmt: skip
    response = client.get(contact_url(closed, lang))
    assert response.status_code == 200
    assert TEXTS[lang]["closed"] in page(response).find("div", class_="contact-unavailable").text
    assert not page(response).find_all("form", class_="contact-form")
    response = client.post(contact_url(closed, lang), form_data())
    assert response.status_code == 200
    assert_no_address(response, "closed@example.org")
    assert smtp_server.messages == []


def test_drafts_and_unknown_slugs_are_not_found(client, smtp_server):
    draft = OrganizationFactory(slug="draft-group", email="draft@example.org", is_published=False)
    for url in (contact_url(draft), "/ru/organizations/no-such-group/contact/",
                "/en/organizations/no-such-group/contact/"):  # fmt: skip
        assert client.get(url).status_code == 404
        response = client.post(url, form_data())
        assert response.status_code == 404
        assert "draft@example.org" not in text_of(response)
    assert smtp_server.messages == []


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_message_too_long_is_refused_with_its_text_kept(client, smtp_server, restricted, lang):
    long_text = "Очень длинное сообщение. " + "x" * (5001 - 25)
    assert len(long_text) == 5001
    response = client.post(contact_url(restricted, lang), form_data(message=long_text))
    assert response.status_code == 200
    assert TEXTS[lang]["too_long"] in page(response).find(class_="field-error").text
    assert page(response).find("textarea").text == long_text
    assert smtp_server.messages == []
    assert not ContactMessage.objects.exists()
    assert_no_address(response)


@pytest.mark.parametrize(
    ("overrides", "field", "error"),
    [
        ({"name": "x" * 201}, "name", "Имя должно быть не длиннее 200 знаков."),
        ({"name": "   "}, "name", "Пожалуйста, напишите своё имя."),
        ({"email": "not an address"}, "email", "Это не похоже на адрес электронной почты"),
        ({"email": "a@b.example\r\nBcc: x@example.com"}, "email", "Это не похоже на адрес"),
        ({"message": ""}, "message", "Пожалуйста, напишите сообщение."),
    ],
)
def test_bad_fields_are_explained(client, smtp_server, restricted, overrides, field, error):
    response = client.post(contact_url(restricted), form_data(**overrides))
    assert response.status_code == 200
    errors = page(response).find("p", class_="has-error")
    assert errors.find("label")["for"] == f"id_{field}"
    assert error in errors.text
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"started": "garbage"},
        {"name": ["a", "b"], "email": [SENDER, "x"], "message": "\x00"},
        {"name": "\x00", "email": "\x00@example.org", "message": "x", "started": "\x00"},
        {"message": "я" * 1_000_000, "name": "я" * 100_000, "email": "x" * 100_000},
        {"csrfmiddlewaretoken": "x", "homepage": ["a"] * 50},
    ],
)
def test_garbage_never_gives_a_server_error(client, smtp_server, restricted, data):
    if "started" not in data and data:
        data = {**data, "started": started()}
    response = client.post(contact_url(restricted), data)
    assert response.status_code == 200
    assert smtp_server.messages == []
    assert_no_address(response)


def test_a_post_too_big_for_the_server_is_a_bad_request(client, smtp_server, restricted):
    response = client.post(contact_url(restricted), form_data(message="x" * 3_000_000))
    assert response.status_code == 400
    assert smtp_server.messages == []


@pytest.mark.parametrize(("lang", "words"), [("ru", "CSRF"), ("en", "CSRF verification failed")])
def test_a_post_without_the_csrf_token_is_forbidden_in_the_page_language(
    smtp_server, restricted, lang, words
):
    client = Client(enforce_csrf_checks=True)
    response = client.post(contact_url(restricted, lang), form_data())
    assert response.status_code == 403
    assert words in text_of(response)
    if lang == "ru":
        assert "Ошибка проверки CSRF" in text_of(response)
    assert smtp_server.messages == []


def test_with_the_csrf_token_the_form_is_sent(smtp_server, restricted):
    client = Client(enforce_csrf_checks=True)
    form_page = page(client.get(contact_url(restricted)))
    token = form_page.find("input", name="csrfmiddlewaretoken")["value"]
    data = form_data(csrfmiddlewaretoken=token)
    assert client.post(contact_url(restricted), data).status_code == 200
    assert len(smtp_server.messages) == 1


# The abuse protection (rightsnet/abuse.py).


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_honeypot_refuses_what_a_program_filled_in(client, smtp_server, restricted, lang):
    response = client.post(contact_url(restricted, lang), form_data(homepage="http://spam"))
    assert response.status_code == 200
    expected = "Похоже, форму заполнила программа" if lang == "ru" else "a program filled it in"
    assert expected in form_errors(response)
    assert page(response).find("textarea").text == TEXT
    assert smtp_server.messages == []
    assert not ContactMessage.objects.filter(outcome="delivered").exists()


def test_a_form_sent_too_fast_is_refused_then_accepted(client, smtp_server, restricted, settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 30
    url = contact_url(restricted)
    response = client.post(url, form_data(started=started(seconds_ago=2)))
    assert response.status_code == 200
    assert "Слишком быстро. Пожалуйста, перечитайте текст" in form_errors(response)
    assert smtp_server.messages == []
    assert client.post(url, form_data(started=started(seconds_ago=31))).status_code == 200
    assert len(smtp_server.messages) == 1


def test_the_form_just_opened_is_sent_at_once_without_a_minimum(
    client, smtp_server, restricted, settings
):
    """The normal path: the start time the page gave, sent back as it is."""
    settings.RIGHTSNET_FORM_MIN_SECONDS = 0
    url = contact_url(restricted)
    token = page(client.get(url)).find("input", name="started")["value"]
    response = client.post(url, form_data(started=token))
    assert response.status_code == 200
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("value", [started(seconds_ago=2 * 24 * 3600), "forged", ""])
def test_an_old_or_forged_start_time_asks_to_send_again(client, smtp_server, restricted, value):
    url = contact_url(restricted, "en")
    response = client.post(url, form_data(started=value))
    assert response.status_code == 200
    assert "This form was opened too long ago. Please send it again." in form_errors(response)
    assert smtp_server.messages == []
    # The page gives a fresh start time: sent again, the message goes.
    fresh = page(response).find("input", name="started")["value"]
    assert fresh != value
    signing.loads(fresh, salt=_SALT)


def limits(settings, **changes):
    limits = {"ip": (100, 3600), "sender": (100, 3600), "organization": (100, 86400)}
    limits.update({name: (count, limits[name][1]) for name, count in changes.items()})
    settings.RIGHTSNET_FORM_LIMITS = limits


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_limit_per_sender(client, smtp_server, restricted, public_org, settings, lang):
    limits(settings, sender=2)
    for organization in (restricted, public_org):
        response = client.post(contact_url(organization, lang), form_data())
        assert response.status_code == 200
    response = client.post(contact_url(restricted, lang), form_data(email=SENDER.upper()))
    assert response.status_code == 429
    assert TEXTS[lang]["sender_limit"] in form_errors(response)
    assert page(response).find("textarea").text == TEXT
    assert page(response).find("input", name="email")["value"] == SENDER.upper()
    assert_no_address(response)
    assert len(smtp_server.messages) == 2
    # Another sender is not held back.
    other = client.post(contact_url(restricted, lang), form_data(email="other@example.net"))
    assert other.status_code == 200
    refused = ContactMessage.objects.get(outcome="refused")
    assert (refused.organization, refused.reason, refused.language) == (
        restricted, "limit: sender", lang
    )  # fmt: skip
    assert refused.sender_hash == sender_hash(SENDER)


def test_the_limit_per_client_address(client, smtp_server, restricted, settings):
    limits(settings, ip=2)
    url = contact_url(restricted)
    for n in range(2):
        response = client.post(url, form_data(email=f"s{n}@example.net"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
    response = client.post(url, form_data(email="s3@example.net"), REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Слишком много сообщений из вашей сети" in form_errors(response)
    other = client.post(url, form_data(email="s4@example.net"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200
    assert len(smtp_server.messages) == 3
    assert ContactMessage.objects.get(outcome="refused").reason == "limit: ip"


def test_the_limit_per_organization(client, smtp_server, restricted, public_org, settings):
    limits(settings, organization=2)
    for n in range(2):
        response = client.post(
            contact_url(restricted), form_data(email=f"s{n}@example.net"),
            REMOTE_ADDR=f"10.0.1.{n}",
        )  # fmt: skip
        assert response.status_code == 200
    response = client.post(
        contact_url(restricted, "en"), form_data(email="s9@example.net"), REMOTE_ADDR="10.0.1.9"
    )
    assert response.status_code == 429
    assert "This organization has received many messages today." in form_errors(response)
    assert client.post(contact_url(public_org), form_data()).status_code == 200
    assert [m.envelope_to for m in smtp_server.messages] == [
        [RESTRICTED_ADDRESS], [RESTRICTED_ADDRESS], [PUBLIC_ADDRESS]
    ]  # fmt: skip
    assert ContactMessage.objects.get(outcome="refused").reason == "limit: organization"


# A mail server that is down or refuses.


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_mail_server_that_is_down_fails_loudly(client, smtp_server, restricted, lang, caplog):
    smtp_server.stop()
    with caplog.at_level(logging.ERROR, logger="directory.messaging"):
        response = client.post(contact_url(restricted, lang), form_data())
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert TEXTS[lang]["not_sent"] in form_errors(response)
    assert page(response).find("textarea").text == TEXT
    assert page(response).find("input", name="name")["value"] == "Анна Петрова"
    assert_no_address(response)
    (row,) = ContactMessage.objects.all()
    assert (row.outcome, row.reason) == ("failed", "ConnectionRefusedError")
    (record,) = [r for r in caplog.records if r.name == "directory.messaging"]
    assert record.exc_info is not None
    assert str(restricted.pk) in record.getMessage()


def test_a_closed_port_fails_loudly(client, restricted, smtp_down):
    response = client.post(contact_url(restricted), form_data())
    assert response.status_code == 503
    assert ContactMessage.objects.get().outcome == "failed"


def test_a_mail_server_that_does_not_answer_fails_loudly(client, restricted, settings):
    """A server that takes the connection and never greets: the send times out."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        send_to(settings, "127.0.0.1", silent.getsockname()[1])
        settings.EMAIL_TIMEOUT = 1
        response = client.post(contact_url(restricted), form_data())
    assert response.status_code == 503
    assert page(response).find("textarea").text == TEXT
    row = ContactMessage.objects.get()
    # smtplib reports the timeout while waiting for the greeting as a disconnection.
    assert (row.outcome, row.reason) == ("failed", "SMTPServerDisconnected")


def test_a_mail_server_that_refuses_the_recipient_fails_loudly(client, smtp_server, restricted):
    smtp_server.refuse_with = "550 5.1.1 No such user here"
    response = client.post(contact_url(restricted, "en"), form_data())
    assert response.status_code == 503
    assert TEXTS["en"]["not_sent"] in form_errors(response)
    assert smtp_server.messages == []
    row = ContactMessage.objects.get()
    assert (row.outcome, row.reason) == ("failed", "SMTPRecipientsRefused")
    assert_no_address(response)


def test_the_message_is_sent_again_once_the_server_is_back(client, smtp_server, restricted):
    smtp_server.stop()
    assert client.post(contact_url(restricted), form_data()).status_code == 503
    smtp_server.start()
    assert client.post(contact_url(restricted), form_data()).status_code == 200
    assert len(smtp_server.messages) == 1
    assert list(ContactMessage.objects.order_by("pk").values_list("outcome", flat=True)) == [
        "failed", "delivered"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "sender",
    ['"anna@home"@example.org', "anna@пример.рф", "anna+rightsnet@example.org", "A@EXAMPLE.ORG"],
)
def test_unusual_but_valid_sender_addresses_are_answered_to(
    client, smtp_server, restricted, sender
):
    response = client.post(contact_url(restricted), form_data(email=sender))
    assert response.status_code == 200
    (mail,) = smtp_server.messages
    assert mail.envelope_to == [RESTRICTED_ADDRESS]
    assert mail["Reply-To"]

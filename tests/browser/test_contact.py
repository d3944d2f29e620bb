"""Writing to a group in real Chromium, against the in-process SMTP server."""

import re

import pytest

from directory.models import ContactMessage
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.browser

ADDRESS = "hidden-browser-zq@example.org"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_visitor_writes_to_a_group_with_restricted_contacts(
    page, smtp_server, settings, javascript
):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 1
    group = OrganizationFactory(
        name_ru="Группа под угрозой", name_en="Group at risk", slug="group-at-risk",
        email=ADDRESS, contacts_public=False,
    )  # fmt: skip
    page.goto(f"/ru/organizations/{group.slug}/")
    page.get_by_role("link", name="Написать в организацию").click()
    page.wait_for_url(re.compile(r"/ru/organizations/group-at-risk/contact/$"))
    assert "Что будет дальше" in page.content()
    page.get_by_label("Ваше имя").fill("Анна Петрова")
    page.get_by_label("Ваш адрес электронной почты").fill("anna@example.net")
    page.get_by_label("Сообщение").fill("Добрый день! Хотим обменяться опытом.")
    page.wait_for_timeout(1200)  # a person takes a moment; the form refuses a program's speed
    page.get_by_role("button", name="Отправить сообщение").click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "Сообщение отправлено"
    assert "«Группа под угрозой»" in page.locator(".contact-sent").inner_text()
    assert ADDRESS not in page.content()
    (mail,) = smtp_server.messages
    assert mail.envelope_to == [ADDRESS]
    assert mail["Reply-To"] == "anna@example.net"
    assert "Добрый день! Хотим обменяться опытом." in mail.body
    assert ContactMessage.objects.get().outcome == "delivered"

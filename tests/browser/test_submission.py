"""Chromium: a visitor suggests a correction, an editor accepts it, the site shows it."""

import re

import pytest
from django.urls import reverse

from directory.models import Submission
from tests.factories import ActivityTypeFactory, OrganizationFactory
from tests.staff import PASSWORD, staff_user

# serialized_rollback: the Editors group made by a migration must exist even after an
# earlier transactional test emptied the tables (the mark makes pytest-django keep it).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_correction_from_the_public_is_accepted_and_shown(page, settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 0
    # A superuser: the browser tests share emptied tables, where the migration's Editors
    # group may be gone whatever ran before; what Editors may do is tested in
    # tests/directory/test_moderation.py.
    staff_user("editor", superuser=True)
    legal = ActivityTypeFactory(name_en="Legal defense", name_ru="Правовая защита")
    org = OrganizationFactory(
        name_en="Perm Memorial", name_ru="Пермский Мемориал", city_ru="Пермь", city_en="Perm",
        email="perm@example.org", activities=[legal],
    )  # fmt: skip

    # A visitor, on the organization's page, suggests a new city.
    page.goto(f"/ru/organizations/{org.slug}/")
    page.click("#suggest-correction")
    page.wait_for_url(f"**/ru/organizations/{org.slug}/suggest/")
    assert page.locator("#id_city").input_value() == "Пермь"
    assert page.locator("#id_email").input_value() == "perm@example.org"
    page.fill("#id_city", "Кунгур")
    page.fill("#id_source", "Я там работаю")
    page.get_by_role("button", name="Отправить в редакцию").click()
    page.wait_for_url("**/ru/suggest/thanks/")
    assert "Редакция рассмотрит его" in page.locator("main").inner_text()
    submission = Submission.objects.get()
    assert submission.data == {"city_ru": "Кунгур"}
    # Nothing public changed yet.
    page.goto(f"/ru/organizations/{org.slug}/")
    assert "Кунгур" not in page.locator(".contact-card").inner_text()

    # An editor opens the queue and accepts it.
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(reverse("admin:directory_submission_changelist"))
    page.get_by_role("link", name=f"Предложение читателя № {submission.pk}").click()
    page.wait_for_url(f"**{reverse('admin:directory_submission_change', args=[submission.pk])}")
    changed = page.locator("#submission-comparison tr.changed")
    assert changed.count() == 1
    assert re.sub(r"\s+", " ", changed.inner_text()).strip() == "Город (по-русски) Пермь Кунгур"
    page.click("#submission-actions input[name=accept]")
    page.wait_for_url(f"**{reverse('admin:directory_submission_changelist')}")
    assert (
        "Принято: запись «Пермский Мемориал» изменена." in page.locator(".messagelist").inner_text()
    )

    # The public page shows the change, the history its origin.
    page.goto(f"/ru/organizations/{org.slug}/")
    assert "Кунгур" in page.locator(".contact-card").inner_text()
    page.goto(reverse("admin:directory_organization_history", args=[org.pk]))
    history = page.locator("#change-history").inner_text()
    assert f"Public submission #{submission.pk}" in history
    assert f"Предложение читателя № {submission.pk}" in history

"""Chromium: a staff member previews a CSV import, then confirms it."""

import pytest
from django.urls import reverse

from directory.models import Organization
from tests.factories import OrganizationFactory
from tests.staff import PASSWORD, csv_bytes, export_csv, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_preview_then_confirm(page, tmp_path):
    staff_user("editor", group="Editors")
    org = OrganizationFactory(name_en="Perm Memorial", founded=1988)
    good = tmp_path / "perm.csv"
    good.write_bytes(
        export_csv("en").decode("utf-8-sig").replace(",1988,", ",1989,").encode()
        + csv_bytes([["", "", "", "Perm Civic Chamber", "related NGO"]])
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(export_csv("en").decode("utf-8-sig").replace(",1988,", ",3000,").encode())

    page.goto(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(reverse("admin:directory_organization_changelist"))
    page.click("text=Импорт CSV")

    page.set_input_files("#import-file", str(bad))
    page.click("#import-upload input[type=submit]")
    problems = page.locator("#import-problems tr.import-problem")
    assert problems.count() == 1
    assert "3000" in problems.first.inner_text()
    assert page.locator("#import-confirm").count() == 0

    page.set_input_files("#import-file", str(good))
    page.click("#import-upload input[type=submit]")
    summary = page.locator("#import-summary").inner_text()
    assert "Новых — 1, изменено — 1, без изменений — 0" in summary
    changes = page.locator("#import-changes").inner_text()
    assert "1988" in changes and "1989" in changes and "Perm Civic Chamber" in changes
    org.refresh_from_db()
    assert org.founded == 1988  # nothing written before confirming

    page.click("#import-confirm input[name=confirm]")
    page.wait_for_url("**/directory/organization/")
    assert "Импорт выполнен: новых — 1, изменено — 1" in page.locator(".messagelist").inner_text()
    org.refresh_from_db()
    assert org.founded == 1989
    assert Organization.objects.filter(name_en="Perm Civic Chamber", is_published=False).exists()

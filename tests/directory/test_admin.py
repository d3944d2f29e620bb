"""The organization admin as staff use it: list, filters, actions, duplicates, language, login."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from directory.models import Organization
from tests.factories import ActivityTypeFactory, OrganizationFactory, PhoneFactory
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:directory_organization_changelist"


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def complete(**kwargs):
    """An organization with nothing missing."""
    org = OrganizationFactory(
        description_en="Monitors prisons.",
        email="info@example.org",
        contacts_as_of=timezone.localdate(),
        contacts_as_of_precision="day",
        **kwargs,
    )
    org.activities.add(ActivityTypeFactory())
    return org


def names_in(response) -> set[str]:
    return {str(org) for org in response.context["cl"].result_list}


def test_the_list_shows_what_is_missing(client, editor):
    complete(name_ru="Полная")
    OrganizationFactory(name_ru="Без английского", name_en="", description_en="")

    response = client.get(reverse(CHANGELIST))

    page = response.content.decode()
    assert response.status_code == 200
    for column in ("column-kind", "column-region", "column-status", "column-is_published",
                   "column-last_verified", "column-missing"):  # fmt: skip
        assert column in page
    # Russian admin by default: the missing things of the incomplete row, by name.
    assert page.count("английское название, английское описание, направление работы, контакт") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("name_en", {"Нет имени"}),
        ("description_en", {"Нет имени", "Нет описания"}),
        ("activity", {"Нет вида работы"}),
        ("contact", {"Нет контакта"}),
    ],
)
def test_a_filter_for_each_missing_thing(client, editor, value, expected):
    complete(name_ru="Полная")
    complete(name_ru="Нет имени", name_en="").__class__.objects.filter(name_ru="Нет имени").update(
        description_en=""
    )
    complete(name_ru="Нет описания").__class__.objects.filter(name_ru="Нет описания").update(
        description_en=""
    )
    OrganizationFactory(name_ru="Нет вида работы", description_en="x", email="a@example.org")
    no_contact = complete(name_ru="Нет контакта")
    Organization.objects.filter(pk=no_contact.pk).update(email="")
    PhoneFactory(organization=Organization.objects.get(name_ru="Нет вида работы"))

    response = client.get(reverse(CHANGELIST), {"missing": value})

    assert names_in(response) == expected


def test_a_filter_for_not_verified_for_over_a_year(client, editor):
    today = timezone.localdate()
    complete(name_ru="Свежая", last_verified=today - datetime.timedelta(days=30))
    complete(name_ru="Старая", last_verified=today - datetime.timedelta(days=400))
    complete(name_ru="Никогда", last_verified=None)

    response = client.get(reverse(CHANGELIST), {"verified": "stale"})

    assert names_in(response) == {"Старая", "Никогда"}
    assert "не проверялись больше года" in response.content.decode()


def test_the_list_costs_the_same_number_of_queries_for_any_number_of_rows(
    client, editor, django_assert_num_queries
):
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    for _ in range(3):
        complete()
    few = count_queries()
    for _ in range(12):
        org = complete()
        PhoneFactory(organization=org)
    assert count_queries() == few


def act(client, action: str, *orgs):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [org.pk for org in orgs]},
        follow=True,
    )


def test_mark_verified_today_records_who_did_it(client, editor):
    first, second = complete(), complete()

    response = act(client, "mark_verified", first, second)

    assert "Изменены 2 организации" in response.content.decode()
    for org in (first, second):
        org.refresh_from_db()
        assert org.last_verified == timezone.localdate()
        record = org.history.first()
        assert record.history_user == editor
        assert record.history_change_reason.startswith("Отмечено как проверенное")


def test_publish_and_unpublish(client, editor):
    draft = complete(is_published=False)

    act(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.is_published
    act(client, "unpublish", draft)
    draft.refresh_from_db()
    assert not draft.is_published
    reasons = list(draft.history.values_list("history_change_reason", "history_user"))
    assert reasons[:2] == [("Снято с публикации", editor.pk), ("Опубликовано", editor.pk)]


@pytest.mark.parametrize("status", [s.value for s in Organization.Status])
def test_set_status(client, editor, status):
    org = complete(status="unknown" if status != "unknown" else "active")

    act(client, f"set_status_{status}", org)

    org.refresh_from_db()
    assert org.status == status
    assert org.history.first().history_user == editor


def test_a_likely_duplicate_is_warned_about_with_a_link_but_saving_works(client, editor):
    def org(name_ru, name_en, city_ru):
        return OrganizationFactory(name_ru=name_ru, name_en=name_en, city_ru=city_ru)

    original = org("Пермский Мемориал", "Perm Memorial", "Пермь")
    twin = org("Пермский «Мемориал»", "", "Пермь")
    org("Пермский Мемориал", "Perm Memorial", "Казань")  # another city
    org("Пермская гражданская палата", "Perm Civic Chamber", "Пермь")  # another name
    change_url = reverse("admin:directory_organization_change", args=[twin.pk])

    response = client.get(change_url)

    warnings = [str(m) for m in response.context["messages"]]
    assert len(warnings) == 1
    assert "Возможный дубликат" in warnings[0]
    assert reverse("admin:directory_organization_change", args=[original.pk]) in warnings[0]
    assert warnings[0].count("<a ") == 1

    # The warning does not stop saving: change the name and save.
    form = response.context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if name not in ("activities", "partners")
    }
    data = {key: "" if value is None else value for key, value in data.items()}
    data["name_ru"] = "Пермский Мемориал"
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    saved = client.post(change_url, data, follow=True)

    assert saved.status_code == 200
    assert saved.redirect_chain, saved.context["adminform"].form.errors
    twin.refresh_from_db()
    assert twin.name_ru == "Пермский Мемориал"
    after = [str(m) for m in saved.context["messages"]]
    assert any("Возможный дубликат" in message for message in after)


def test_the_admin_follows_the_chosen_language(client, editor):
    index = reverse("admin:index")
    assert "Администрирование rightsnet" in client.get(index).content.decode()
    assert 'id="language-switch"' in client.get(index).content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": index}, follow=True)

    page = response.content.decode()
    assert "rightsnet administration" in page
    assert "Organizations" in page
    client.post("/i18n/setlang/", {"language": "ru", "next": index})
    assert "Организации" in client.get(index).content.decode()


def test_the_admin_lives_at_the_configured_path():
    code = (
        "import django; django.setup(); from django.urls import reverse; "
        "print(reverse('admin:index'))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rightsnet.settings",
           "DJANGO_ADMIN_URL": "/back-office-7f3/"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "/back-office-7f3/"
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


def test_sessions_expire(client, editor):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert lifetime <= datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def login(client, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def test_repeated_failed_logins_are_throttled(client, settings):
    settings.AXES_ENABLED = True
    staff_user("editor", group="Editors")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with an error

    locked = login(client, "wrong")
    assert locked.status_code == 429
    # Even the right password is refused while locked out, with a clear page.
    refused = login(client, PASSWORD)
    assert refused.status_code == 429
    assert "Слишком много неудачных попыток входа" in refused.content.decode()
    # The lock is per username and address: the same user elsewhere can log in.
    assert login(client, PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, settings):
    staff_user("editor", group="Editors")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    assert login(client, PASSWORD).status_code == 302

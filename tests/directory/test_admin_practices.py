"""Practical experience in the admin: the form with its dates typed as one field each,
the list, history with restore, the practices inline on an organization's page, and
the roles that may edit them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from directory.models import Organization, Practice
from tests.factories import (
    ActivityTypeFactory,
    OrganizationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.html import page
from tests.staff import form_data, staff_user

pytestmark = pytest.mark.django_db


def make_practice(*, organizations=(), activities=(), regions=(), sources=(), **fields):
    """A practice with its links, saved as the admin would (slug and search text derived)."""
    fields = {
        "title_ru": "Школа для наблюдателей",
        "title_en": "A school for observers",
        **fields,
    }
    practice = Practice.objects.create(**fields)
    practice.organizations.set(organizations)
    practice.activities.set(activities)
    practice.regions.set(regions)
    practice.sources.set(sources)
    return practice


def url(name: str, *args) -> str:
    return reverse(f"admin:directory_practice_{name}", args=args)


def org_url(org) -> str:
    return reverse("admin:directory_organization_change", args=[org.pk])


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def state(practice: Practice) -> tuple:
    """What a save may change, read afresh from the database, and the size of its history."""
    fresh = Practice.objects.get(pk=practice.pk)
    return (
        fresh.title_ru,
        fresh.title_en,
        fresh.start_date,
        fresh.start_date_precision,
        fresh.end_date,
        fresh.end_date_precision,
        sorted(fresh.organizations.values_list("pk", flat=True)),
        fresh.updated_at,
        fresh.history.count(),
    )


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        ("1992", "1994", "1992 г. – 1994 г."),
        ("1997-01", "", "с января 1997 г."),
        ("1997-01-25", "1997-01-25", "25 января 1997 г. – 25 января 1997 г."),
        ("", "", "—"),
    ],
)
def test_an_editor_adds_a_practice_with_its_dates_typed_as_one_field_each(
    client, editor, start, end, shown
):
    org = OrganizationFactory(name_ru="Пермский «Мемориал»")
    monitoring = ActivityTypeFactory(name_ru="Мониторинг")
    perm = RegionFactory(name_ru="Пермь")
    source = SourceFactory()
    response = client.get(url("add"))
    assert response.status_code == 200

    saved = client.post(
        url("add"),
        form_data(
            response,
            title_ru="Школа для наблюдателей",
            title_en="A school for observers",
            summary_ru="Кратко.",
            start=start,
            end=end,
            organizations=[str(org.pk)],
            activities=[str(monitoring.pk)],
            regions=[str(perm.pk)],
            sources=[str(source.pk)],
            is_published="on",
        ),
    )

    assert saved.status_code == 302
    practice = Practice.objects.get()
    assert (practice.start.iso() if practice.start else "") == start
    assert (practice.end.iso() if practice.end else "") == end
    assert practice.slug == "a-school-for-observers"
    assert practice.search_text == practice.build_search_text() != ""
    assert [list(getattr(practice, name).all()) for name in ("organizations", "activities")] == [
        [org],
        [monitoring],
    ]
    assert (list(practice.regions.all()), list(practice.sources.all())) == ([perm], [source])
    assert practice.history.first().history_user == editor
    assert not practice.is_demo

    listed = page(client.get(url("changelist")))
    assert listed.find("td", class_="field-period").text == shown
    assert listed.find("td", class_="field-organization_names").text == "Пермский «Мемориал»"


BAD_DATES = [
    ({"start": "1997-13"}, "Месяца 13 нет: месяцы нумеруются от 01 до 12."),
    ({"end": "199"}, "Год должен быть от 1000 до 9999."),
    ({"start": "вчера"}, "Введите год, год и месяц или полную дату"),
    ({"end": "1997-02-30"}, "Такого дня нет в календаре: 1997-02-30."),
    ({"start": "19\x0097"}, "Null"),
    ({"start": "1997", "end": "1992"}, "Конец (1992 г.) раньше начала (1997 г.)."),
    (
        {"start": "1997-05", "end": "1997"},
        "Конец (1997 г.) раньше начала (май 1997 г.). Если оба в одном году, укажите "
        "у конца и месяц, например 1997-12.",
    ),
]


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_on_the_add_form_is_refused_with_a_message(client, editor, typed, message):
    response = client.get(url("add"))

    refused = client.post(url("add"), form_data(response, title_ru="Школа", **typed))

    assert refused.status_code == 200
    if message != "Null":
        assert message in refused.content.decode()
    assert refused.context["adminform"].form.errors
    assert not Practice.objects.exists()


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_on_the_change_form_changes_nothing(client, editor, typed, message):
    org = OrganizationFactory()
    practice = make_practice(
        organizations=[org], start_date="1992-01-01", start_date_precision="year"
    )
    before = state(practice)
    response = client.get(url("change", practice.pk))
    other = OrganizationFactory()

    refused = client.post(
        url("change", practice.pk),
        form_data(response, title_ru="Переименовано", organizations=[str(other.pk)], **typed),
    )

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    assert state(practice) == before


def test_the_change_form_shows_the_dates_as_typed(client, editor):
    practice = make_practice(
        start_date="1997-01-01",
        start_date_precision="month",
        end_date="1999-01-01",
        end_date_precision="year",
    )

    html = page(client.get(url("change", practice.pk)))

    assert html.find("input", name="start")["value"] == "1997-01"
    assert html.find("input", name="end")["value"] == "1999"


def test_the_list_filters_and_searches_in_both_languages(client, editor):
    monitoring = ActivityTypeFactory(name_ru="Мониторинг")
    make_practice(title_ru="Школа наблюдателей", title_en="Observers' school", is_published=True)
    make_practice(title_ru="Горячая линия", title_en="A hotline", activities=[monitoring])
    make_practice(title_ru="Демо-опыт", title_en="Demo practice", is_demo=True)

    def titles(**query) -> list[str]:
        response = client.get(url("changelist"), query)
        assert response.status_code == 200
        return sorted(str(p) for p in response.context["cl"].result_list)

    assert titles(q="hotline") == ["Горячая линия"]
    assert titles(q="наблюдател") == ["Школа наблюдателей"]
    assert titles(is_published__exact="1") == ["Школа наблюдателей"]
    assert titles(is_demo__exact="1") == ["Демо-опыт"]
    assert titles(activities__id__exact=str(monitoring.pk)) == ["Горячая линия"]


def test_the_list_costs_the_same_number_of_queries_for_any_number_of_rows(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("changelist")).status_code == 200
        return len(captured)

    make_practice(title_ru="Первый", organizations=[OrganizationFactory()])
    few = count_queries()
    for n in range(8):
        make_practice(title_ru=f"Опыт {n}", organizations=OrganizationFactory.create_batch(2))
    assert count_queries() == few


# History: the links are recorded, shown as changes and restored.


def test_history_shows_who_changed_what_with_the_organizations(client, editor):
    first = OrganizationFactory(name_ru="Уральская группа")
    second = OrganizationFactory(name_ru="Казанский правозащитный центр")
    practice = make_practice(title_ru="Школа", organizations=[first])
    response = client.get(url("change", practice.pk))

    client.post(
        url("change", practice.pk),
        form_data(response, title_ru="Летняя школа", organizations=[str(second.pk)]),
    )

    history = client.get(url("history", practice.pk))
    assert history.status_code == 200
    html = history.content.decode()
    assert "editor" in html
    assert "Школа" in html and "Летняя школа" in html
    assert "Уральская группа" in html and "Казанский правозащитный центр" in html


def test_an_earlier_version_is_restored_with_its_links(client, editor):
    first = OrganizationFactory(name_ru="Уральская группа")
    second = OrganizationFactory(name_ru="Казанский центр")
    monitoring = ActivityTypeFactory()
    practice = make_practice(title_ru="Школа", organizations=[first], activities=[monitoring])
    version = practice.history.first()
    response = client.get(url("change", practice.pk))
    client.post(
        url("change", practice.pk),
        form_data(response, title_ru="Ошибка", organizations=[str(second.pk)], activities=[]),
    )
    assert list(practice.organizations.all()) == [second]

    revert = url("simple_history", practice.pk, version.history_id)
    client.post(revert, form_data(client.get(revert)))

    practice.refresh_from_db()
    assert practice.title_ru == "Школа"
    assert list(practice.organizations.all()) == [first]
    assert list(practice.activities.all()) == [monitoring]
    assert practice.history.first().history_user == editor


def test_a_deleted_practice_can_be_restored(client, editor):
    org = OrganizationFactory()
    practice = make_practice(title_ru="Школа", organizations=[org])
    pk = practice.pk
    client.post(url("delete", pk), {"post": "yes"})
    assert not Practice.objects.filter(pk=pk).exists()

    version = Practice.history.filter(id=pk).exclude(history_type="-").first()
    revert = url("simple_history", pk, version.history_id)
    client.post(revert, form_data(client.get(revert)))

    restored = Practice.objects.get(pk=pk)
    assert (restored.title_ru, list(restored.organizations.all())) == ("Школа", [org])


# The inline on the organization's page.


def practices_inline(response):
    (inline,) = [
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Practice.organizations.through
    ]
    return inline.formset


def with_practices(response, *adds: Practice, delete: tuple = ()) -> dict:
    """The organization form as it stands, its practice links kept, plus ``adds``;
    the existing links to the practices in ``delete`` are deleted."""
    data = form_data(response)
    formset = practices_inline(response)
    prefix = formset.prefix
    rows = []
    for form in formset.initial_forms:
        row = {"id": str(form.instance.pk), "practice": str(form.instance.practice_id)}
        if form.instance.practice in delete:
            row["DELETE"] = "on"
        rows.append(row)
    rows += [{"practice": str(practice.pk)} for practice in adds]
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(len(formset.initial_forms)),
        }
    )
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{name}": value for name, value in row.items()})
    return data


def test_an_organization_page_lists_its_practices_with_links(client, editor):
    org = OrganizationFactory()
    practice = make_practice(title_ru="Семинары для юристов", organizations=[org])
    make_practice(title_ru="Чужой опыт")

    response = client.get(org_url(org))

    html = response.content.decode()
    assert "Семинары для юристов" in html
    assert "Чужой опыт" not in html
    assert f'href="{url("change", practice.pk)}"' in html
    assert "Практический опыт" in html


def test_an_editor_adds_and_removes_a_practice_from_the_organization_page(client, editor):
    org = OrganizationFactory(name_ru="Пермский «Мемориал»")
    kept = make_practice(title_ru="Семинары", organizations=[org])
    added = make_practice(title_ru="Горячая линия")
    history_before = kept.history.count()

    saved = client.post(org_url(org), with_practices(client.get(org_url(org)), added))

    assert saved.status_code == 302
    assert sorted(str(p) for p in org.practices.all()) == ["Горячая линия", "Семинары"]
    # The practice's own history records the new link, who made it and where.
    latest = added.history.first()
    assert latest.history_user == editor
    assert [link.organization_id for link in latest.organizations.all()] == [org.pk]
    assert "Пермский «Мемориал»" in latest.history_change_reason
    assert kept.history.count() == history_before

    client.post(org_url(org), with_practices(client.get(org_url(org)), delete=(added,)))

    assert list(org.practices.all()) == [kept]
    latest = added.history.first()
    assert list(latest.organizations.all()) == []
    assert "Пермский «Мемориал»" in client.get(url("history", added.pk)).content.decode()


def test_the_same_practice_twice_in_the_inline_is_refused(client, editor):
    org = OrganizationFactory()
    practice = make_practice(title_ru="Семинары")
    response = client.get(org_url(org))

    refused = client.post(org_url(org), with_practices(response, practice, practice))

    assert refused.status_code == 200
    assert not org.practices.exists()


def test_practices_and_organizations_are_found_by_autocomplete(client, editor):
    make_practice(title_ru="Семинары для юристов", title_en="Seminars for lawyers")
    make_practice(title_ru="Горячая линия", title_en="A hotline")
    OrganizationFactory(name_ru="Пермский «Мемориал»", name_en="Perm Memorial")
    OrganizationFactory(name_ru="Казанский центр", name_en="Kazan Centre")

    def found(model_name: str, field_name: str, term: str) -> list[str]:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "directory",
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        return [result["text"] for result in response.json()["results"]]

    assert found("practice_organizations", "practice", "lawyers") == ["Семинары для юристов"]
    assert found("practice", "organizations", "perm") == ["Пермский «Мемориал»"]


# Roles: migration 0019.


def test_editors_edit_practices_and_viewers_only_see_them():
    editor = staff_user("editor", group="Editors")
    viewer = staff_user("viewer", group="Viewers")
    for action in ("add", "change", "delete", "view"):
        assert editor.has_perm(f"directory.{action}_practice")
        assert viewer.has_perm(f"directory.{action}_practice") is (action == "view")
    assert Group.objects.get(name="Viewers").permissions.filter(codename="view_practice").exists()


def test_a_viewer_sees_practices_read_only_and_cannot_change_them(client):
    org = OrganizationFactory()
    practice = make_practice(title_ru="Семинары для юристов", organizations=[org])
    client.force_login(staff_user("viewer", group="Viewers"))
    before = state(practice)

    listing = client.get(url("changelist"))
    assert listing.status_code == 200 and "Семинары для юристов" in listing.content.decode()
    change = client.get(url("change", practice.pk))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert 'name="title_ru"' not in change.content.decode()
    assert client.get(url("add")).status_code == 403
    assert client.post(url("change", practice.pk), {"title_ru": "Взлом"}).status_code == 403
    assert client.post(url("delete", practice.pk), {"post": "yes"}).status_code == 403
    assert client.get(url("history", practice.pk)).status_code == 200
    # On the organization's page the practice is listed, not offered for editing.
    html = client.get(org_url(org)).content.decode()
    assert "Семинары для юристов" in html
    assert 'name="Practice_organizations-0-practice"' not in html
    assert state(practice) == before


def test_staff_without_a_role_see_no_practice(client):
    practice = make_practice()
    client.force_login(staff_user("newcomer"))
    assert client.get(url("changelist")).status_code == 403
    assert client.get(url("change", practice.pk)).status_code == 403


def test_deleting_an_organization_is_recorded_on_its_practices_and_restoring_it_relinks(
    client, editor
):
    org = OrganizationFactory(name_ru="Пермский «Мемориал»")
    other = OrganizationFactory()
    practice = make_practice(title_ru="Семинары", organizations=[org, other])
    pk = org.pk

    client.post(reverse("admin:directory_organization_delete", args=[pk]), {"post": "yes"})

    assert list(practice.organizations.all()) == [other]
    latest = practice.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        editor,
        "Организация «Пермский «Мемориал»» удалена",
    )
    assert [link.organization_id for link in latest.organizations.all()] == [other.pk]

    version = Organization.history.filter(id=pk).exclude(history_type="-").first()
    revert = reverse("admin:directory_organization_simple_history", args=[pk, version.history_id])
    client.post(revert, form_data(client.get(revert)), follow=True)

    assert sorted(o.pk for o in practice.organizations.all()) == sorted([pk, other.pk])
    assert practice.history.first().history_user == editor


def test_deleting_organizations_by_the_bulk_action_is_recorded_on_their_practices(client, editor):
    org = OrganizationFactory()
    practice = make_practice(title_ru="Семинары", organizations=[org])

    client.post(
        reverse("admin:directory_organization_changelist"),
        {"action": "delete_selected", "_selected_action": [org.pk], "post": "yes"},
    )

    assert not practice.organizations.exists()
    assert list(practice.history.first().organizations.all()) == []
    assert practice.history.first().history_user == editor

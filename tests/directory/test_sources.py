"""Sources: cited with their dates on every public page of an entry, edited by staff.

Public sources show on the organization, person and publication pages in both languages
(a month as "January 1997" / «январь 1997 г.», a year as 1997); a source with ``is_public``
off never does. Staff type the date as "1997", "1997-01" or "1997-01-25", find sources
by autocomplete on each entry, see which entries cite a source, and restore its history.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from directory import freshness
from directory.models import Source
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    SourceFactory,
)
from tests.html import page
from tests.staff import form_data, staff_user

pytestmark = pytest.mark.django_db

D = datetime.date


def url_in(language: str, entry) -> str:
    with translation.override(language):
        return entry.get_absolute_url()


@pytest.fixture
def sources():
    """The seeds' two sources (a month and a year) and a staff-only phone call."""
    return {
        # Made first, shown second: the page lists sources oldest first.
        "handbook": SourceFactory(
            title_en="The Post-Soviet Handbook",
            title_ru="The Post-Soviet Handbook",
            publisher_en="University of Washington Press",
            publisher_ru="University of Washington Press",
            date=D(1999, 1, 1),
            date_precision="year",
        ),
        "ccsi": SourceFactory(
            title_en="NIS Third Sector Organizations",
            title_ru="NIS Third Sector Organizations",
            publisher_en="Center for Civil Society International (CCSI)",
            publisher_ru="Центр гражданского общества (CCSI)",
            url="https://ccsi.example.org/nis/",
            date=D(1997, 1, 1),
            date_precision="month",
        ),
        "call": SourceFactory(
            title_en="Phone call with a member",
            title_ru="Телефонный разговор с участником",
            publisher_en="Internal note",
            note_en="Do not publish",
            url="https://internal.example.org/call",
            date=D(2024, 3, 5),
            date_precision="day",
            is_public=False,
        ),
    }


def organization():
    return OrganizationFactory(name_en="Moscow Helsinki Group")


def person():
    return PersonFactory(name_en="Lyudmila Alexeyeva")


def publication():
    return PublicationFactory(title_en="The Nationalities Problem and Human Rights")


ENTRIES = [organization, person, publication]


def read(element) -> str:
    """The text as a visitor reads it: inline elements add no spaces of their own
    (``Element.text`` puts one between children)."""
    parts = [child if isinstance(child, str) else read(child) for child in element.children]
    return " ".join("".join(parts).split())


def citations(response) -> list[str]:
    section = page(response).find("section", class_="sources")
    return [read(item) for item in section.find("ul").items()]


@pytest.mark.parametrize("make", ENTRIES)
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Center for Civil Society International (CCSI), NIS Third Sector Organizations, "
                "January 1997",
                "University of Washington Press, The Post-Soviet Handbook, 1999",
            ],
        ),
        (
            "ru",
            [
                "Центр гражданского общества (CCSI), NIS Third Sector Organizations, "
                "январь 1997 г.",
                "University of Washington Press, The Post-Soviet Handbook, 1999 г.",
            ],
        ),
    ],
)
def test_an_entry_page_cites_its_public_sources_with_their_dates(
    client, sources, make, language, expected
):
    entry = make()
    entry.sources.add(*sources.values())

    response = client.get(url_in(language, entry))

    assert citations(response) == expected
    section = page(response).find("section", class_="sources")
    assert section.find("h2").text == {"en": "Sources", "ru": "Источники"}[language]
    first, second = section.find("ul").items()
    link = first.find("a")
    assert (link["href"], link["rel"], link.text) == (
        "https://ccsi.example.org/nis/",
        "nofollow noopener",
        "NIS Third Sector Organizations",
    )
    assert first.find("time")["datetime"] == "1997-01"
    assert second.find_all("a") == []
    assert second.find("time")["datetime"] == "1999"
    text = response.content.decode()
    for hidden in ("Phone call", "Телефонный", "Internal note", "internal.example.org", "2024"):
        assert hidden not in text


@pytest.mark.parametrize("make", ENTRIES)
def test_an_entry_without_public_sources_shows_no_sources_section(client, sources, make):
    entry = make()
    entry.sources.add(sources["call"])

    response = client.get(url_in("en", entry))

    assert response.status_code == 200
    assert page(response).find_all("section", class_="sources") == []
    assert "Phone call" not in response.content.decode()


def test_a_citation_shows_its_note_and_the_language_of_a_title_in_the_other_language(
    client,
):
    entry = organization()
    entry.sources.add(
        SourceFactory(
            title_en="",
            title_ru="Московские новости",
            note_en="Print edition, page 3.",
            note_ru="",
            url="javascript:alert(1)",
        ),
        SourceFactory(
            title_en="Dated",
            title_ru="С датой",
            date=D(2016, 9, 1),
            date_precision="day",
            note_en="print edition",
            note_ru="печатное издание",
        ),
    )

    response = client.get(url_in("en", entry))

    # Dated sources first, the undated last; an unsafe address is no link.
    assert citations(response) == [
        "Dated, 1 September 2016 — print edition",
        "Московские новости — Print edition, page 3.",
    ]
    assert citations(client.get(url_in("ru", entry))) == [
        "С датой, 1 сентября 2016 г. — печатное издание",
        "Московские новости — Print edition, page 3. (на английском)",
    ]
    undated = page(response).find("section", class_="sources").find("ul").items()[1]
    assert undated.find("cite").find("span")["lang"] == "ru"
    assert undated.find_all("a") == []
    assert "javascript:" not in response.content.decode()


def test_the_organization_json_ld_names_its_public_sources_only(client, sources):
    entry = organization()
    entry.sources.add(*sources.values())

    response = client.get(url_in("en", entry))

    script = page(response).find("script", type="application/ld+json")
    data = json.loads("".join(script.children))
    assert data["subjectOf"] == [
        {
            "@type": "CreativeWork",
            "name": "NIS Third Sector Organizations",
            "publisher": {
                "@type": "Organization",
                "name": "Center for Civil Society International (CCSI)",
            },
            "url": "https://ccsi.example.org/nis/",
        },
        {
            "@type": "CreativeWork",
            "name": "The Post-Soviet Handbook",
            "publisher": {"@type": "Organization", "name": "University of Washington Press"},
        },
    ]


@pytest.mark.parametrize("make", ENTRIES)
def test_the_sources_cost_one_query_whatever_their_number(client, make):
    entry = make()
    entry.sources.add(SourceFactory())
    url = url_in("en", entry)

    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    entry.sources.add(
        *(SourceFactory(date=D(1990 + n, 1, 1), date_precision="year") for n in range(5))
    )
    assert queries() == one
    assert len(citations(client.get(url))) == 6


# The cached pages show a change to a source at once.


@pytest.mark.parametrize("make", [organization, person])
def test_a_cached_page_shows_every_change_to_its_sources(client, sources, make):
    entry = make()
    entry.sources.add(sources["ccsi"])
    url = url_in("en", entry)
    assert len(citations(client.get(url))) == 1

    ccsi = Source.objects.get(pk=sources["ccsi"].pk)
    ccsi.title_en = "NIS Third Sector Organizations, last updated"
    ccsi.save()
    assert "last updated" in citations(client.get(url))[0]

    entry.sources.add(sources["handbook"])
    assert len(citations(client.get(url))) == 2

    entry.sources.remove(sources["handbook"])
    assert len(citations(client.get(url))) == 1

    ccsi.is_public = False
    ccsi.save()
    assert page(client.get(url)).find_all("section", class_="sources") == []


def test_a_source_edit_and_a_link_change_each_bump_the_data_version(sources):
    entry = organization()
    before = freshness.current()
    sources["ccsi"].save()
    after_edit = freshness.current()
    entry.sources.add(sources["ccsi"])
    after_link = freshness.current()
    entry.sources.clear()
    after_clear = freshness.current()
    assert len({before, after_edit, after_link, after_clear}) == 4


# The admin.


@pytest.fixture
def boss(client):
    """A superuser: the Editors group of migration 0003 has no permission on sources yet."""
    user = staff_user("boss", superuser=True)
    client.force_login(user)
    return user


def test_staff_add_a_source_dated_to_a_month(client, boss):
    add = reverse("admin:directory_source_add")
    response = client.get(add)
    assert 'name="when"' in response.content.decode()
    assert 'name="date"' not in response.content.decode()

    saved = client.post(
        add,
        {
            "title_ru": "NIS Third Sector Organizations",
            "title_en": "NIS Third Sector Organizations",
            "publisher_en": "Center for Civil Society International (CCSI)",
            "when": "1997-01",
            "is_public": "on",
        },
    )

    assert saved.status_code == 302
    source = Source.objects.get()
    assert (source.date, source.date_precision) == (D(1997, 1, 1), "month")
    assert source.history.get().history_user == boss
    listing = client.get(reverse("admin:directory_source_changelist"))
    assert "январь 1997 г." in listing.content.decode()
    change = client.get(reverse("admin:directory_source_change", args=[source.pk]))
    assert 'name="when" value="1997-01"' in change.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1997-13", "Месяца 13 нет: месяцы нумеруются от 01 до 12."),
        ("1997-02-30", "Такого дня нет в календаре: 1997-02-30."),
        ("январь 1997", "Введите год, год и месяц или полную дату"),
        ("0", "Год должен быть от 1000 до 9999."),
    ],
)
def test_a_bad_date_is_refused_with_a_clear_message_and_changes_nothing(
    client, boss, sources, typed, message
):
    source = sources["ccsi"]
    url = reverse("admin:directory_source_change", args=[source.pk])
    history = source.history.count()

    response = client.post(url, form_data(client.get(url), title_en="Changed", when=typed))

    assert response.status_code == 200
    errors = page(response).find("ul", class_="errorlist")
    assert message in errors.text
    source.refresh_from_db()
    assert (source.title_en, source.date, source.date_precision) == (
        "NIS Third Sector Organizations",
        D(1997, 1, 1),
        "month",
    )
    assert source.history.count() == history


AUTOCOMPLETE = [
    ("directory", "organization"),
    ("directory", "person"),
    ("publications", "publication"),
]


@pytest.mark.parametrize(("app_label", "model_name"), AUTOCOMPLETE)
def test_staff_find_sources_by_autocomplete_on_each_entry(
    client, boss, sources, app_label, model_name
):
    query = {"app_label": app_label, "model_name": model_name, "field_name": "sources"}
    for term, found in (
        ("Handbook", "handbook"),
        ("Washington", "handbook"),
        ("ccsi.example", "ccsi"),
        ("Телефонный", "call"),
    ):
        response = client.get(reverse("admin:autocomplete"), {**query, "term": term})
        assert response.status_code == 200
        source = sources[found]
        assert response.json()["results"] == [{"id": str(source.pk), "text": str(source)}]


@pytest.mark.parametrize(("app_label", "model_name"), AUTOCOMPLETE)
def test_anonymous_visitors_get_no_sources_from_the_autocomplete(
    client, sources, app_label, model_name
):
    query = {"app_label": app_label, "model_name": model_name, "field_name": "sources"}
    response = client.get(reverse("admin:autocomplete"), {**query, "term": "Phone"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "Phone call" not in response.content.decode()


@pytest.mark.parametrize(
    ("admin_name", "make"),
    [
        ("admin:directory_organization_change", organization),
        ("admin:directory_person_change", person),
        ("admin:publications_publication_change", publication),
    ],
)
def test_staff_cite_sources_on_each_entry_with_an_autocomplete_field(
    client, boss, sources, admin_name, make
):
    entry = make()
    url = reverse(admin_name, args=[entry.pk])
    response = client.get(url)
    select = page(response).find("select", name="sources")
    assert "admin-autocomplete" in select["class"]

    saved = client.post(
        url, form_data(response, sources=[str(sources["ccsi"].pk), str(sources["call"].pk)])
    )

    assert saved.status_code == 302
    assert set(entry.sources.all()) == {sources["ccsi"], sources["call"]}


def test_the_organization_form_puts_sources_in_their_own_fieldset(client, boss):
    entry = organization()
    response = client.get(reverse("admin:directory_organization_change", args=[entry.pk]))
    fieldset = next(
        fieldset
        for fieldset in page(response).find_all("fieldset")
        if fieldset.find_all("select", name="sources")
    )
    assert fieldset.find("h2").text == "Источники"


def test_a_source_page_lists_the_entries_that_cite_it(client, boss, sources):
    org, someone, book = organization(), person(), publication()
    for entry in (org, someone, book):
        entry.sources.add(sources["ccsi"])
    response = client.get(reverse("admin:directory_source_change", args=[sources["ccsi"].pk]))
    cited = page(response).find("ul", class_="cited-by")
    links = {a.text: a["href"] for a in cited.find_all("a")}
    assert links == {
        str(org): reverse("admin:directory_organization_change", args=[org.pk]),
        str(someone): reverse("admin:directory_person_change", args=[someone.pk]),
        str(book): reverse("admin:publications_publication_change", args=[book.pk]),
    }
    assert [item.text.split(":")[0] for item in cited.items()] == [
        "Организации (1)",
        "Персоналии (1)",
        "Публикации (1)",
    ]
    unused = client.get(reverse("admin:directory_source_change", args=[sources["call"].pk]))
    assert "Этот источник пока не указан ни в одной записи." in unused.content.decode()


def test_a_long_list_of_citing_entries_ends_with_a_link_to_all_of_them(client, boss, sources):
    ccsi = sources["ccsi"]
    for _n in range(22):
        organization().sources.add(ccsi)

    response = client.get(reverse("admin:directory_source_change", args=[ccsi.pk]))

    cited = page(response).find("ul", class_="cited-by")
    links = cited.find_all("a")
    assert len(links) == 21
    assert links[-1].text == "все 22"
    everyone = client.get(links[-1]["href"])
    assert everyone.status_code == 200
    assert everyone.context["cl"].result_count == 22


def test_the_history_records_a_source_change_and_restores_it(client, boss, sources):
    source = sources["ccsi"]
    url = reverse("admin:directory_source_change", args=[source.pk])
    first = source.history.get()

    client.post(url, form_data(client.get(url), title_en="A mistake", when="2001"))

    source.refresh_from_db()
    assert (source.title_en, source.date, source.date_precision) == (
        "A mistake",
        D(2001, 1, 1),
        "year",
    )
    latest = source.history.first()
    assert latest.history_user == boss
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(first).changes}
    assert changes["title_en"] == ("NIS Third Sector Organizations", "A mistake")
    assert changes["date_precision"] == ("month", "year")
    history = client.get(reverse("admin:directory_source_history", args=[source.pk]))
    assert "A mistake" in history.content.decode()

    revert = reverse("admin:directory_source_simple_history", args=[source.pk, first.history_id])
    form = client.get(revert)
    assert 'name="when" value="1997-01"' in form.content.decode()
    client.post(revert, form_data(form))

    source.refresh_from_db()
    assert (source.title_en, source.date, source.date_precision) == (
        "NIS Third Sector Organizations",
        D(1997, 1, 1),
        "month",
    )
    assert source.history.first().history_user == boss


def test_restoring_an_organization_brings_back_the_sources_of_that_version(client, boss, sources):
    entry = organization()
    entry.sources.add(sources["ccsi"])
    version = entry.history.first()
    entry.sources.set([sources["handbook"]])

    revert = reverse(
        "admin:directory_organization_simple_history", args=[entry.pk, version.history_id]
    )
    client.post(revert, form_data(client.get(revert)))

    assert list(entry.sources.all()) == [sources["ccsi"]]

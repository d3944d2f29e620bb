"""The organization and people list pages as a user sees them."""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from directory import urls as directory_urls
from directory.models import Organization
from tests.factories import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)
from tests.pages_data import DRAFT_MARKERS, RESTRICTED_MARKERS

pytestmark = pytest.mark.django_db


def fake_export(request, format):
    return HttpResponse("")


# The real URLconf plus an export route, so that the "Download CSV" link can be
# tested before (and independently of) the export view.
urlpatterns = i18n_patterns(
    path(
        "",
        include(
            (
                [
                    *directory_urls.urlpatterns,
                    path(
                        "organizations/export.<str:format>",
                        fake_export,
                        name="organization_export",
                    ),
                ],
                "directory",
            )
        ),
    ),
    path("publications/", include("publications.urls")),
    path("data/", include("opendata.urls")),
    prefix_default_language=True,
)


def test_list_shows_results_facets_and_count(client, world):
    response = client.get("/en/organizations/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Organizations</h1>" in html
    assert "5 organizations found" in html
    assert "Moscow Helsinki Group" in html
    assert "Group at risk" in html
    assert not [marker for marker in DRAFT_MARKERS.values() if marker in html]


def test_list_is_in_russian(client, world):
    response = client.get("/ru/organizations/")
    assert "Найдено организаций: 5" in response.content.decode()
    assert "Московская Хельсинкская группа" in response.content.decode()


def test_contacts_only_where_public(client, world):
    html = client.get("/en/organizations/").content.decode()
    assert "mhg@example.org" in html
    # A card's two numbers: the telephone and the mobile before the fax.
    assert "+7 095 206-81-71" in html and "+7 916 000-00-01" in html
    assert RESTRICTED_MARKERS["email"] not in html
    assert RESTRICTED_MARKERS["phone"] not in html


def test_facet_options_are_toggle_links_with_counts(client, world):
    response = client.get("/en/organizations/?activity=education")
    html = response.content.decode()
    assert "1 organization found" in html
    # The selected option is checked and its link removes it.
    assert (
        '<input type="checkbox" name="activity" value="education" checked> '
        '<a href="?#result-count">Education</a>'
    ) in html
    # Another option adds itself and keeps the selected one; its count ignores
    # the activity filter (disjunctive).
    assert (
        '<a href="?activity=education&amp;activity=legal-defense#result-count">Legal defense</a>'
        '</label> <span class="facet-count">4</span>'
    ) in html


def test_region_facet_breadcrumb_and_sub_regions(client, world):
    html = client.get(
        "/en/organizations/?region=moscow-oblast&activity=legal-defense"
    ).content.decode()
    # Each link lands at the result count (#result-count) when followed without JavaScript.
    assert '<a href="?activity=legal-defense#result-count">All</a>' in html
    assert '<a href="?region=russia&amp;activity=legal-defense#result-count">Russia</a>' in html
    assert '<strong aria-current="true">Moscow Oblast</strong>' in html
    assert '<a href="?region=podolsk&amp;activity=legal-defense#result-count">Podolsk</a>' in html
    # The form keeps the region when the user ticks a box and submits.
    assert '<input type="hidden" name="region" value="moscow-oblast">' in html


def test_chips_and_clear_all(client, world):
    html = client.get("/en/organizations/?q=group&activity=legal-defense").content.decode()
    assert (
        'href="?activity=legal-defense#result-count" title="Remove this filter">'
        "Search: <span>group</span>" in html
    )
    assert (
        'href="?q=group#result-count" title="Remove this filter">'
        "Type of work: <span>Legal defense</span>" in html
    )
    assert '<a class="clear-all" href="/en/organizations/#result-count">Clear all</a>' in html


def test_no_chips_without_filters(client, world):
    html = client.get("/en/organizations/").content.decode()
    assert "Clear all" not in html


@override_settings(ROOT_URLCONF=__name__)
def test_download_link_keeps_the_filters_and_tells_the_row_count(client, world):
    html = client.get(
        "/en/organizations/?activity=legal-defense&page=1&sort=-updated"
    ).content.decode()
    assert (
        '<a href="/en/organizations/export.csv?activity=legal-defense&amp;sort=-updated" download>'
        "Download CSV</a>"
    ) in html
    assert "(4 rows)" in html


def test_no_download_link_until_the_export_exists(client, world, settings):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("directory:organization_export", kwargs={"format": "csv"})
    except NoReverseMatch:
        assert "Download CSV" not in client.get("/en/organizations/").content.decode()
    else:
        assert "Download CSV" in client.get("/en/organizations/").content.decode()


@pytest.fixture
def many(world):
    for n in range(60):
        OrganizationFactory(name_en=f"Watch {n:02d}", region=world.russia)


def test_pagination_keeps_the_filters(client, many):
    html = client.get("/en/organizations/?region=russia&q=watch").content.decode()
    assert "60 organizations found" in html
    # Links keep every filter, in a canonical order.
    assert (
        '<a href="?q=watch&amp;region=russia&amp;page=2#result-count" rel="next">Next →</a>' in html
    )
    assert "Page 1 of 2" in html
    html = client.get("/en/organizations/?region=russia&q=watch&page=2").content.decode()
    assert '<a href="?q=watch&amp;region=russia#result-count" rel="prev">← Previous</a>' in html
    assert "Page 2 of 2" in html
    assert '<span aria-current="page">2</span>' in html
    assert html.count('<li class="result">') == 10


def test_page_past_the_end_shows_the_last_page_with_a_note(client, many):
    response = client.get("/en/organizations/?page=99")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no page 99: showing the last page, 2." in html
    assert '<span aria-current="page">2</span>' in html


@pytest.mark.parametrize(
    "query, note",
    [
        ("page=-1", "There is no page -1: showing page 1."),
        ("page=0", "There is no page 0: showing page 1."),
        ("page=abc", "Page “abc” is not a page number: showing page 1."),
        ("page=1%00", ""),
        ("region=atlantis", "Unknown region “atlantis” ignored."),
        ("activity=legal-defense&activity=x%00y", "Unknown type of work “x y” ignored."),
        ("sort=DROP%20TABLE", "Unknown sort order “DROP TABLE” ignored."),
        ("sort=relevance", "Sorting by relevance needs a search query: sorted by name."),
        ("q=" + "я" * 10_000, "“Search” was too long and was cut to 200 characters."),
        ("q=%00%00", ""),
        ("region=russia&region=russia&region=moscow", "Only one value of “Region” can be used"),
        ("kind=group&kind=group&kind=%FF", "Unknown kind"),
        ("q[]=x&activity[]=y&status=", ""),
        ("%FF%FE=%00", ""),
    ],
)
def test_bad_input_gives_a_normal_page_with_a_note(client, world, query, note):
    response = client.get("/en/organizations/?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "organizations found" in html or "organization found" in html
    if note:
        assert note in html
    else:
        assert 'class="filter-note"' not in html


def test_bad_input_notes_in_russian(client, world):
    html = client.get("/ru/organizations/?region=atlantis&page=-1").content.decode()
    assert "Неизвестное значение фильтра «регион»: «atlantis» — не учтено." in html
    assert "Страницы -1 нет: показана страница 1." in html


def _query_count(client, django_assert_num_queries, expected):
    url = "/en/organizations/?q=watch&region=russia&activity=legal-defense&activity=monitoring"
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [5, 60])
def test_query_count_does_not_grow_with_the_data(client, world, django_assert_num_queries, size):
    for n in range(size):
        org = OrganizationFactory(
            name_en=f"Watch {n}", region=world.russia, activities=[world.legal, world.monitoring]
        )
        PhoneFactory(organization=org)
    # The data version, regions, types of work, the text match, the organizations with
    # a designation (for that facet), the list's order, then the page's rows, their
    # types of work and phones.
    response = _query_count(client, django_assert_num_queries, 9)
    assert f"{size} organizations found" in response.content.decode()
    # Until the next write, only the version is read: the page's cards come from the cache.
    response = _query_count(client, django_assert_num_queries, 1)
    assert f"{size} organizations found" in response.content.decode()


DESCRIPTION = "Правовая помощь, наблюдение за местами лишения свободы, правовое просвещение. " * 5


def test_fifty_results_stay_under_the_html_budget(client, world):
    """60 KB for a page of 50 results, in bytes: Cyrillic takes two per letter."""
    for n in range(60):
        org = OrganizationFactory(
            name_ru=f"Региональный правозащитный комитет «Солидарность» {n}",
            name_en=f"Regional Human Rights Committee Solidarity {n}",
            short_name_ru="РПК",
            city_ru="Нижний Новгород",
            founded=1990,
            region=world.russia,
            activities=[world.legal, world.monitoring],
            email=f"office{n}@regional-committee.example.org",
            description_ru=DESCRIPTION,
        )
        PhoneFactory(organization=org)
        PhoneFactory(organization=org, kind="fax")
    html = client.get("/ru/organizations/?q=комитет&region=russia").content
    assert html.decode().count('<li class="result">') == 50
    assert len(html) < 60_000


def test_people_list(client, world):
    html = client.get("/en/people/").content.decode()
    assert "1 person found" in html
    assert "Lyudmila Alexeyeva" in html
    assert "Moscow Helsinki Group</a> (chair)" in html
    # Her draft organization and the draft people are not shown.
    assert not [marker for marker in DRAFT_MARKERS.values() if marker in html]
    html = client.get(f"/en/people/?organization={world.org.slug}").content.decode()
    assert f'value="{world.org.slug}" checked' in html
    html = client.get("/ru/people/?q=Алексеевой").content.decode()
    assert "Найдено людей: 1" in html


def test_people_bad_input(client):
    response = client.get("/en/people/?organization=nobody&region=x&page=-5&q=%00")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown organization “nobody” ignored." in html
    assert "Unknown region “x” ignored." in html


@pytest.mark.parametrize("size", [5, 60])
def test_people_query_count_is_fixed(client, world, django_assert_num_queries, size):
    region, org = world.moscow_oblast, world.org
    for n in range(size):
        person = PersonFactory(name_en=f"Person {n}", region=region)
        AffiliationFactory(person=person, organization=org)
    with django_assert_num_queries(8):
        response = client.get(f"/en/people/?region={region.slug}&organization={org.slug}")
    # They and the world's Lyudmila Alexeyeva.
    assert f"{size + 1} people found" in response.content.decode()


def test_status_shown_for_closed_organizations(client):
    OrganizationFactory(name_en="Closed Group", status=Organization.Status.CLOSED)
    OrganizationFactory(name_en="Quiet Group", status=Organization.Status.INACTIVE)
    html = client.get("/en/organizations/").content.decode()
    assert '<li class="badge badge-closed">closed</li>' in html
    assert '<span class="status-inactive">status: inactive</span>' in html


def test_cards_show_types_of_work_in_the_pages_alphabetical_order_and_only_public_phones(
    client, world
):
    english = client.get("/en/organizations/").content.decode()
    russian = client.get("/ru/organizations/").content.decode()

    assert "Legal defense, Monitoring" in english
    assert "Мониторинг, Правовая защита" in russian
    for marker in RESTRICTED_MARKERS.values():
        assert marker not in english + russian


@pytest.mark.parametrize(
    "language, control, pages, page_of",
    [
        (
            "ru",
            'Фильтры <span id="filters-count">(выбрано: 2)</span>',
            "Страницы результатов",
            "Страница 1 из 2",
        ),
        (
            "en",
            'Filters <span id="filters-count">(2 active)</span>',
            "Pages of results",
            "Page 1 of 2",
        ),
    ],
)
def test_filters_control_form_action_and_pagination_wording(
    client, many, language, control, pages, page_of
):
    html = client.get(
        f"/{language}/organizations/?region=russia&q=watch&kind=group"
    ).content.decode()
    # The text search has its own box: two filter values are chosen, not three.
    assert control in html
    assert f'action="/{language}/organizations/#result-count"' in html
    assert 'action=""' not in html
    assert f'<nav class="pagination" aria-label="{pages}">' in html
    assert page_of in html
    html = client.get(f"/{language}/organizations/").content.decode()
    assert '<span id="filters-count"></span>' in html

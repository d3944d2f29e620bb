"""A download's file name says what was filtered, in ASCII, and no two downloads share one."""

import datetime
import re

import pytest
from django.http import QueryDict

from directory.listings import ORGANIZATIONS, PEOPLE
from listing import filenames
from publications.listings import PUBLICATIONS
from tests.factories import ActivityTypeFactory, OrganizationFactory, RegionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)
SAFE = re.compile(r"rightsnet-[a-z0-9_-]+\.(csv|json|xlsx)")


def name(query: str, listing=ORGANIZATIONS, language="ru", fmt="csv") -> str:
    params = listing.clean(QueryDict(query), language).params
    filters = filenames.describe(listing.facets, params)
    name = filenames.file_name(listing.name, language, filters, DAY, fmt)
    assert SAFE.fullmatch(name), name
    assert len(name) - len(fmt) - 1 <= filenames.MAX_STEM, name
    return name


@pytest.fixture
def vocabulary():
    RegionFactory(slug="siberia", name_ru="Сибирь", name_en="Siberia")
    RegionFactory(slug="north-caucasus", name_ru="Северный Кавказ", name_en="North Caucasus")
    for slug in ("monitoring", "legal-aid", "prisons", "education", "networking", "elections"):
        ActivityTypeFactory(slug=slug)


def test_the_unfiltered_list_is_named_by_list_language_and_day(vocabulary):
    assert name("") == "rightsnet-organizations-ru-2026-11-30.csv"
    assert name("", language="en", fmt="json") == "rightsnet-organizations-en-2026-11-30.json"
    assert name("", PEOPLE, "en") == "rightsnet-people-en-2026-11-30.csv"
    assert name("", PUBLICATIONS, "en", "xlsx") == "rightsnet-publications-en-2026-11-30.xlsx"


def test_the_chosen_values_in_the_facets_order_then_the_day(vocabulary):
    # The example: codes spell the filters exactly, so no hash is needed.
    assert name("activity=monitoring&region=siberia") == (
        "rightsnet-organizations-ru-siberia-monitoring-2026-11-30.csv"
    )
    assert name("year=1995&status=active&kind=group&activity=prisons&activity_mode=all") == (
        "rightsnet-organizations-ru-prisons-activity_mode-all-group-active-year-1995-2026-11-30.csv"
    )
    assert name("region=siberia&sort=founded") == (
        "rightsnet-organizations-ru-siberia-sort-founded-2026-11-30.csv"
    )


def test_a_search_is_named_as_one_and_gets_a_hash(vocabulary):
    # A transliteration loses case and letters: two searches could read the same.
    assert re.fullmatch(
        r"rightsnet-organizations-ru-search-siberia-monitoring-2026-11-30-[0-9a-f]{8}\.csv",
        name("q=siberia+monitoring"),
    )
    assert name("q=Пермь") != name("q=Perm'")


def test_the_same_filters_in_any_order_give_the_same_name(vocabulary):
    one = name("region=siberia&activity=monitoring&activity=legal-aid&kind=ngo&kind=group")
    other = name("kind=group&activity=legal-aid&kind=ngo&region=siberia&activity=monitoring")
    assert one == other
    # Repeated and padded values are the same filter too (the list cleans them).
    assert name("region=siberia&region=%20siberia%20") == name("region=siberia")


def test_different_filters_never_share_a_name(vocabulary):
    names = [
        name(query)
        for query in (
            "",
            "region=siberia",
            "region=siberia&activity=monitoring",
            "q=siberia+monitoring",  # reads the same as the line above
            "region=siberia&activity=monitoring&activity_mode=all",
            "region=siberia&sort=founded",  # the same rows in another order
            "region=north-caucasus",
            "activity=monitoring",
        )
    ]
    assert len(set(names)) == len(names), names
    assert name("region=siberia", language="en") != name("region=siberia")


def test_a_search_is_transliterated_and_quotes_and_line_breaks_never_get_in():
    got = name("q=%C2%AB%D0%9C%D0%B5%D0%BC%D0%BE%D1%80%D0%B8%D0%B0%D0%BB%C2%BB")  # «Мемориал»
    assert got.startswith("rightsnet-organizations-ru-search-memorial-2026-11-30-")
    got = name('q=say+"hello"%0D%0AContent-Type:+evil;+filename="x.exe"')
    assert '"' not in got and "\r" not in got and "\n" not in got and ";" not in got
    assert got.startswith("rightsnet-organizations-ru-search-say-hello-content-type-evil")
    # A search without letters is dropped by the list, and so from the name.
    assert name("q=☭☭") == name("")


def test_bad_values_never_reach_a_name(vocabulary):
    assert name("region=../../etc&kind=%22%3E%3Cscript%3E&year=abc") == name("")
    assert name("region=siberia&region=nowhere") == name("region=siberia")


def test_a_long_choice_is_cut_to_100_characters_and_stays_unique(vocabulary):
    long_search = "q=" + "правозащитный+центр+" * 4
    cut = name(long_search + "Москвы")
    assert len(cut.removesuffix(".csv")) <= filenames.MAX_STEM
    assert cut.startswith("rightsnet-organizations-ru-search-pravozashchitnyi-tsentr")
    assert "moskvy" not in cut
    assert cut != name(long_search + "Перми")
    many = "&".join(
        f"activity={slug}"
        for slug in ("monitoring", "legal-aid", "prisons", "education", "networking", "elections")
    )
    everything = f"region=siberia&{many}&kind=group&kind=ngo&status=closed"
    cut = name(everything + "&year=1990")
    assert "year-1990" not in cut
    assert cut != name(everything + "&year=1991")
    # Cut at a whole value: every part left is a value that was chosen, in order.
    words = cut.removeprefix("rightsnet-organizations-ru-").split("-2026-11-30-")[0]
    assert words == "siberia-education-elections-legal-aid-monitoring"


def test_a_value_longer_than_the_room_is_cut_within_itself():
    filters = filenames.Filters(("x" * 300,), "0123abcd")
    got = filenames.file_name("organizations", "en", filters, DAY, "csv")
    assert got == f"rightsnet-organizations-en-{'x' * 53}-2026-11-30-0123abcd.csv"
    assert len(got) == filenames.MAX_STEM + len(".csv")


def test_the_people_list_names_the_chosen_organization():
    OrganizationFactory(slug="memorial-perm", name_ru="Пермский Мемориал")
    got = name("organization=memorial-perm&organization=unknown", PEOPLE, "en")
    assert got == "rightsnet-people-en-memorial-perm-2026-11-30.csv"

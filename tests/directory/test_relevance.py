"""The relevance test set: queries a reader types, with the entry they expect first.

Over the sample data (``fixtures/``), 5,000 generated demo organizations and a few
fictional entries made here for former names and other names (the fixtures have
none). The data is built once for the module, in a transaction rolled back after it.
Generated entries are only known to exist: their names may change with the generator.
"""

import datetime

import pytest
from django.db import connection, transaction

from directory.listings import ORGANIZATIONS
from directory.models import Organization, OrganizationEvent
from sitedata.generator import generate_directory
from sitedata.services import load_sample_data
from tests.factories import OrganizationFactory
from tests.html import page

GENERATED = 5_000
SEED = 12

# (query, language of the page, slug of the entry expected first)
RELEVANCE_SET = [
    # A name, in either script, case, ё, punctuation, quotes and hyphens aside.
    ("Moscow Helsinki Group", "en", "moscow-helsinki-group"),
    ("Московская Хельсинкская группа", "ru", "moscow-helsinki-group"),
    ("МОСКОВСКАЯ хельсинкская ГРУППА", "ru", "moscow-helsinki-group"),
    ("«Московская Хельсинкская группа»", "ru", "moscow-helsinki-group"),
    ("Moscow-Helsinki group", "en", "moscow-helsinki-group"),
    ("Human Rights Watch", "en", "human-rights-watch"),
    ("human rights watch", "ru", "human-rights-watch"),
    ("Хьюман Райтс Вотч", "ru", "human-rights-watch"),
    ("Amnesty International", "en", "amnesty-international"),
    ("Амнести Интернешнл", "ru", "amnesty-international"),
    ("International Federation for Human Rights", "en", "fidh"),
    ("Международная федерация за права человека", "ru", "fidh"),
    ("Eurasian Human Rights Group", "en", "eurasian-human-rights-group"),
    ("Евразийская правозащитная группа", "ru", "eurasian-human-rights-group"),
    ("Center for Civil Society International", "en", "center-for-civil-society-international"),
    ("Международный центр гражданского общества", "ru", "center-for-civil-society-international"),
    ("State Human Rights Council", "en", "state-human-rights-council"),
    ("Совет по правам человека", "ru", "state-human-rights-council"),
    ("союз зеленый берег", "ru", "green-shore-union"),  # ё typed as е
    # Short names: МХГ and MHG are one key.
    ("МХГ", "ru", "moscow-helsinki-group"),
    ("MHG", "en", "moscow-helsinki-group"),
    ("mhg", "ru", "moscow-helsinki-group"),
    ("HRW", "en", "human-rights-watch"),
    ("FIDH", "en", "fidh"),
    ("fidh", "ru", "fidh"),
    # A Russian name typed in Latin letters, in more than one romanisation.
    ("Moskovskaya Khelsinkskaya gruppa", "en", "moscow-helsinki-group"),
    ("Moskovskaia Helsinkskaia Gruppa", "ru", "moscow-helsinki-group"),
    ("Khyuman Raits Votch", "en", "human-rights-watch"),
    ("Amnesti Interneshnl", "en", "amnesty-international"),
    ("Evraziiskaya pravozashchitnaya gruppa", "en", "eurasian-human-rights-group"),
    # Whole words of a name, at its start or inside it.
    ("moscow helsinki", "en", "moscow-helsinki-group"),
    ("Хельсинкская", "ru", "moscow-helsinki-group"),
    ("Хельсинкская группа", "ru", "moscow-helsinki-group"),
    ("Amnesty", "en", "amnesty-international"),
    ("Амнести", "ru", "amnesty-international"),
    ("хьюман райтс", "ru", "human-rights-watch"),
    ("федерация за права человека", "ru", "fidh"),
    ("civil society international", "en", "center-for-civil-society-international"),
    # Former names (from a renamed event) and other names, in both scripts.
    ("Клуб «Белая сова»", "ru", "green-shore-union"),
    ("White Owl Club", "en", "green-shore-union"),
    ("Klub Belaya Sova", "en", "green-shore-union"),
    ("Совиный дозор", "ru", "green-shore-union"),
    ("совиный ДОЗОР", "en", "green-shore-union"),
    ("Sovinyi dozor", "en", "green-shore-union"),
]


@pytest.fixture(scope="module")
def directory(django_db_setup, django_db_blocker):
    """The sample data, 5,000 generated organizations (demo entries) and fictional
    entries with a former name, other names and names that compete with them."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_sample_data()
            real = list(Organization.objects.values_list("pk", flat=True))
            generate_directory(orgs=GENERATED, seed=SEED)
            # Every generated organization is a demo entry (whatever the generator flags).
            Organization.objects.exclude(pk__in=real).update(is_demo=True)
            _fictional_entries()
            # Check the deferred foreign keys now, once: else PostgreSQL checks every
            # pending one again after each test (its savepoint's rollback undoes the check).
            connection.check_constraints()
        except BaseException:
            atomic.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _fictional_entries():
    union = OrganizationFactory(
        slug="green-shore-union",
        name_ru="Союз «Зелёный берег»",
        name_en="Green Shore Union",
        aliases="Совиный дозор\nSovinyi Dozor",
    )
    OrganizationEvent.objects.create(
        organization=union,
        kind=OrganizationEvent.Kind.RENAMED,
        date=datetime.date(2001, 1, 1),
        former_name_ru="Клуб «Белая сова»",
        former_name_en="White Owl Club",
    )
    # A former name kept from the public: never a reason to find the entry.
    OrganizationEvent.objects.create(
        organization=union,
        kind=OrganizationEvent.Kind.RENAMED,
        date=datetime.date(1995, 1, 1),
        former_name_ru="Кружок «Серебряный филин»",
        is_public=False,
    )
    # Real entries whose names hold the same words, earlier in their text: only the
    # name match ranks the entry above them.
    OrganizationFactory(
        slug="white-owl-club-of-tomsk",
        name_ru="Клуб «Белая сова» Томска",
        name_en="White Owl Club of Tomsk",
    )
    OrganizationFactory(
        slug="owl-watch", name_ru="Совиный дозор Прикамья", name_en="Owl Watch of Prikamye"
    )
    OrganizationFactory(
        slug="green-shore-union-club",
        name_ru="Союз «Зелёный берег» — клуб",
        name_en="Green Shore Union Club",
    )


@pytest.mark.django_db
def test_the_set_is_large_enough_and_has_demo_entries_to_rank_against(directory):
    assert len(RELEVANCE_SET) >= 25
    assert Organization.objects.published().filter(is_demo=True).count() > 4_000


@pytest.mark.django_db
@pytest.mark.parametrize(("q", "language", "expected"), RELEVANCE_SET)
def test_the_expected_entry_comes_first(directory, q, language, expected):
    result = ORGANIZATIONS.search({"q": [q]}, language)
    assert result.sort == "relevance"
    cards = result.page(1, 5).object_list
    first = [card["url"].rstrip("/").rsplit("/", 1)[-1] for card in cards]
    assert first[:1] == [expected], (q, first)
    # The export (the plain queryset) ranks the same.
    assert result.queryset.values_list("slug", flat=True)[0] == expected


@pytest.mark.django_db
def test_a_former_name_kept_from_the_public_finds_nothing(directory):
    result = ORGANIZATIONS.search({"q": ["Серебряный филин"]}, "ru")
    assert result.total == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/en/organizations/?q=Moscow+Helsinki+Group", "/ru/organizations/?q=Хельсинкская"],
)
def test_the_list_page_shows_the_moscow_helsinki_group_first(client, directory, url):
    response = client.get(url)
    assert response.status_code == 200
    results = page(response).find_all("li", class_="result")
    assert len(results) > 1  # other entries match too
    assert results[0].find("a")["href"].endswith("/organizations/moscow-helsinki-group/")

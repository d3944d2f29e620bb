"""Text matching (directory/search.py): the same results on SQLite and PostgreSQL."""

import pytest

from directory import search
from directory.models import Organization
from rightsnet.text import name_key
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def matching(q: str) -> list[str]:
    found = Organization.objects.filter(search.text_filter(q)).order_by("name_ru")
    return list(found.values_list("name_ru", flat=True))


@pytest.fixture
def organizations():
    OrganizationFactory(
        name_ru="Мемориал",
        name_en="",
        city_ru="Москва",
        description_ru="Правозащитная организация, история репрессий.",
    )
    OrganizationFactory(
        name_ru="Московская Хельсинкская группа",
        name_en="Moscow Helsinki Group",
        short_name_ru="МХГ",
        city_ru="Москва",
        description_en="The oldest human rights group.",
    )
    OrganizationFactory(
        name_ru="Солдатские матери",
        name_en="Soldiers' Mothers",
        city_ru="Санкт-Петербург",
        description_ru="Защита прав призывников.",
    )
    OrganizationFactory(name_ru="Ёлки-палки", name_en="", city_ru="Орёл")


def test_cyrillic_is_case_insensitive(organizations):
    assert matching("МЕМОРИАЛ") == ["Мемориал"]
    assert matching("мемориал") == ["Мемориал"]


def test_latin_is_case_insensitive(organizations):
    assert matching("HELSINKI") == ["Московская Хельсинкская группа"]


def test_yo_matches_ye_both_ways(organizations):
    assert matching("орел") == ["Ёлки-палки"]
    assert matching("Ёлки") == ["Ёлки-палки"]
    assert matching("елки") == ["Ёлки-палки"]


def test_latin_finds_cyrillic_by_transliteration(organizations):
    assert matching("Memorial") == ["Мемориал"]
    assert matching("Moskovskaya") == ["Московская Хельсинкская группа"]
    assert matching("Moskovskaia") == ["Московская Хельсинкская группа"]


def test_russian_stemming(organizations):
    assert matching("правозащитных") == ["Мемориал"]
    assert matching("призывника") == ["Солдатские матери"]


def test_english_stemming(organizations):
    assert matching("mothers") == ["Солдатские матери"]
    assert matching("groups") == ["Московская Хельсинкская группа"]


def test_every_word_must_match(organizations):
    assert matching("Москва группа") == ["Московская Хельсинкская группа"]
    assert matching("Москва матери") == []


def test_short_name_city_and_description_are_searched(organizations):
    assert matching("МХГ") == ["Московская Хельсинкская группа"]
    assert matching("Петербург") == ["Солдатские матери"]
    assert matching("oldest") == ["Московская Хельсинкская группа"]


def test_punctuation_nul_and_empty_queries_match_everything(organizations):
    assert len(matching("")) == 4
    assert len(matching("  ,;!  ")) == 4
    assert matching("мемориал\x00") == ["Мемориал"]


def test_terms_are_capped_and_deduplicated():
    terms = search.terms(" ".join(f"слово{n}" for n in range(50)) + " слово1")
    assert len(terms) == search.MAX_WORDS
    assert len(search.terms("мир мир МИР")) == 1


def test_people_use_the_same_matching():
    PersonFactory(name_ru="Людмила Алексеева", name_en="Lyudmila Alexeyeva")
    PersonFactory(name_ru="Андрей Сахаров", name_en="Andrei Sakharov")
    from directory.models import Person

    found = Person.objects.filter(search.text_filter("Алексеевой")).values_list(
        "name_ru", flat=True
    )
    assert list(found) == ["Людмила Алексеева"]
    found = Person.objects.filter(search.text_filter("sakharov")).values_list("name_ru", flat=True)
    assert list(found) == ["Андрей Сахаров"]


def test_search_follows_edits_and_deletions():
    org = OrganizationFactory(name_ru="Старое название", name_en="")
    assert matching("старое") == ["Старое название"]
    org.name_ru = "Новое название"
    org.save()
    assert matching("старое") == []
    assert matching("новое") == ["Новое название"]
    Organization.objects.filter(pk=org.pk).update(search_text=" переименовано ")
    assert matching("переименовано") == ["Новое название"]
    org.delete()
    assert matching("новое") == []


def test_search_index_exists_and_survives_a_table_rebuild():
    """pg_trgm on PostgreSQL; on SQLite, FTS5 whose triggers come back after migrate."""
    from django.db import connection

    from directory import search_index

    OrganizationFactory(name_ru="Мемориал", name_en="")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexname = %s", [search_index.TRGM_INDEX]
            )
            assert cursor.fetchone()[0] == 1
            return
        assert search_index.fts_table(connection) == search_index.FTS_TABLE
        triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        made_by_migration = cursor.execute(triggers).fetchall()
        # What Django's table rebuild does to triggers: they are gone.
        for name in ("directory_organization_fts_ai", "directory_organization_fts_au"):
            cursor.execute(f"DROP TRIGGER {name}")
    search_index.ensure(connection)  # what post_migrate runs
    assert search_index.fts_table(connection) == search_index.FTS_TABLE
    with connection.cursor() as cursor:
        # The same triggers as migration 0004 made (it holds its own copy of their SQL).
        assert cursor.execute(triggers).fetchall() == made_by_migration
    OrganizationFactory(name_ru="Новая группа", name_en="")
    assert matching("мемориал") == ["Мемориал"]
    assert matching("новая") == ["Новая группа"]


@pytest.mark.parametrize(
    "q",
    ['"', 'мемориал" OR "', "OR AND NOT NEAR", "北京 ☃ 😀", "ab", "a*b", "%_%", "x" * 300, "ё'ь"],
)
def test_odd_queries_never_break_the_text_index(q):
    OrganizationFactory(name_ru="Мемориал", name_en="")
    found = matching(q)
    assert found in ([], ["Мемориал"])


def test_query_syntax_is_not_interpreted():
    OrganizationFactory(name_ru="Мемориал", name_en="")
    assert matching('мемориал" OR "') == ["Мемориал"]
    assert matching("мемориал OR несуществующее") == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Московская Хельсинкская группа", "Moskovskaya Khelsinkskaya gruppa"),
        ("Московская Хельсинкская группа", "moskovskaia helsinkskaia GRUPPA"),
        ("«Московская Хельсинкская группа»", "московская  хельсинкская группа"),
        ("МХГ", "MHG"),
        ("Зелёный берег", "зеленый-берег"),
        ("Soldiers' Mothers", "soldiers mothers"),
        ("Хьюман Райтс Вотч", "Khyuman Raits Votch"),
    ],
)
def test_name_keys_ignore_case_yo_punctuation_script_and_romanisation(one, other):
    assert name_key(one) == name_key(other) != ""


def name_matches(q: str) -> dict[str, int]:
    found = Organization.objects.annotate(match=search.name_match(q)).order_by("name_en")
    return dict(found.values_list("name_en", "match"))


def test_a_name_matches_exactly_or_in_part_in_either_script(organizations):
    OrganizationFactory(
        name_en="Quiet",
        name_ru="Тихая",
        aliases="Тихий дом\nQuiet House",
        # Marks of the names segment typed in a description make no name.
        description_en="‹  moscow  helsinki  group  › or  mhg ",
    )
    assert name_matches("MHG")["Moscow Helsinki Group"] == 2
    assert name_matches("Moskovskaya Khelsinkskaya gruppa")["Moscow Helsinki Group"] == 2
    assert name_matches("moscow helsinki")["Moscow Helsinki Group"] == 1
    assert name_matches("helsinki")["Moscow Helsinki Group"] == 1
    assert name_matches("helsink")["Moscow Helsinki Group"] == 0  # whole words only
    assert name_matches("moscow group")["Moscow Helsinki Group"] == 0  # in a row
    assert name_matches("Moscow Helsinki Group")["Quiet"] == 0
    assert name_matches("mhg")["Quiet"] == 0
    assert name_matches("тихий дом")["Quiet"] == 2
    assert name_matches("Tikhii Dom")["Quiet"] == 2
    assert name_matches("quiet house")["Quiet"] == 2
    assert name_matches("дом")["Quiet"] == 1
    # A text stored before the names segment existed matches no name (and breaks nothing).
    Organization.objects.filter(name_en="Quiet").update(search_text=" тихий дом ")
    assert name_matches("тихий дом")["Quiet"] == 0


def test_relevance_puts_names_first_then_real_entries_before_demo_ones():
    OrganizationFactory(name_en="Watchers of the Moscow Helsinki Group", name_ru="Наблюдатели")
    OrganizationFactory(name_en="Moscow Helsinki Group", name_ru="МХГ (демо)", is_demo=True)
    OrganizationFactory(name_en="Helsinki Group of Moscow", name_ru="Хельсинкская группа")
    OrganizationFactory(name_en="Moscow Helsinki Group", name_ru="Московская Хельсинкская группа")
    found = Organization.objects.filter(search.text_filter("Moscow Helsinki Group"))
    ranked = found.order_by(*search.relevance_order("Moscow Helsinki Group"), "pk")
    assert [(o.name_ru, o.is_demo) for o in ranked] == [
        ("Московская Хельсинкская группа", False),
        ("МХГ (демо)", True),
        ("Наблюдатели", False),  # the name holds the query: ahead of a name that does not
        ("Хельсинкская группа", False),
    ]


def test_people_rank_a_name_first_and_real_before_demo():
    from directory.listings import PEOPLE

    PersonFactory(name_ru="Анна Петрова", name_en="Anna Petrova", is_demo=True)
    PersonFactory(name_ru="Ирина Смирнова", name_en="", title_en="Anna Petrova's deputy")
    PersonFactory(name_ru="Анна Петрова", name_en="Anna Petrova")
    result = PEOPLE.search({"q": ["Anna Petrova"]}, "en")
    assert [(p.name_ru, p.is_demo) for p in result.queryset] == [
        ("Анна Петрова", False),
        ("Анна Петрова", True),
        ("Ирина Смирнова", False),
    ]

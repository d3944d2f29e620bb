"""The directory's data model: the region tree, slugs, constraints, queryset methods."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.models import ActivityType, Affiliation, Organization, Person, Phone, Region
from rightsnet.text import fold_latin
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Russia > Siberia > Western Siberia > Novosibirsk Oblast > Novosibirsk; Ukraine."""
    russia = RegionFactory(name_en="Russia", name_ru="Россия", kind=Region.Kind.COUNTRY)
    siberia = RegionFactory(
        name_en="Siberia", name_ru="Сибирь", kind=Region.Kind.MACRO_REGION, parent=russia
    )
    western = RegionFactory(
        name_en="Western Siberia",
        name_ru="Западная Сибирь",
        kind=Region.Kind.MACRO_REGION,
        parent=siberia,
    )
    oblast = RegionFactory(
        name_en="Novosibirsk Oblast", name_ru="Новосибирская область", parent=western
    )
    city = RegionFactory(
        name_en="Novosibirsk", name_ru="Новосибирск", kind=Region.Kind.CITY, parent=oblast
    )
    ukraine = RegionFactory(name_en="Ukraine", name_ru="Украина", kind=Region.Kind.COUNTRY)
    return {
        "russia": russia,
        "siberia": siberia,
        "western": western,
        "oblast": oblast,
        "city": city,
        "ukraine": ukraine,
    }


def names(regions):
    return [region.name_en for region in regions]


# The region tree ---------------------------------------------------------------------


def test_path_and_depth_follow_the_parents(tree):
    city = Region.objects.get(pk=tree["city"].pk)
    expected = "/" + "/".join(
        str(tree[key].pk) for key in ("russia", "siberia", "western", "oblast", "city")
    )
    assert city.path == expected + "/"
    assert city.depth == 4
    assert Region.objects.get(pk=tree["russia"].pk).depth == 0


@pytest.mark.parametrize(
    "key, expected",
    [
        ("siberia", ["Russia"]),
        ("city", ["Russia", "Siberia", "Western Siberia", "Novosibirsk Oblast"]),
    ],
)
def test_ancestors_root_first_in_one_query_at_any_depth(
    tree, key, expected, django_assert_num_queries
):
    region = Region.objects.get(pk=tree[key].pk)
    with django_assert_num_queries(1):
        ancestors = region.ancestors()
    assert names(ancestors) == expected
    with django_assert_num_queries(1):
        assert names(region.ancestors(include_self=True)) == [*expected, region.name_en]


@pytest.mark.parametrize(
    "key, expected",
    [
        ("russia", {"Russia", "Siberia", "Western Siberia", "Novosibirsk Oblast", "Novosibirsk"}),
        ("western", {"Western Siberia", "Novosibirsk Oblast", "Novosibirsk"}),
    ],
)
def test_descendants_in_one_query_at_any_depth(tree, key, expected, django_assert_num_queries):
    region = Region.objects.get(pk=tree[key].pk)
    with django_assert_num_queries(1):
        found = set(names(region.descendants()))
    assert found == expected
    with django_assert_num_queries(1):
        below = set(names(region.descendants(include_self=False)))
    assert below == expected - {region.name_en}


def test_moving_a_region_moves_its_whole_subtree(tree):
    western = Region.objects.get(pk=tree["western"].pk)
    western.parent = tree["ukraine"]
    western.save()

    city = Region.objects.get(pk=tree["city"].pk)
    assert names(city.ancestors()) == ["Ukraine", "Western Siberia", "Novosibirsk Oblast"]
    assert city.depth == 3
    assert city.path == f"/{tree['ukraine'].pk}/{western.pk}/{tree['oblast'].pk}/{city.pk}/"
    siberia = Region.objects.get(pk=tree["siberia"].pk)
    assert names(siberia.descendants()) == ["Siberia"]
    ukraine = Region.objects.get(pk=tree["ukraine"].pk)
    assert "Novosibirsk" in names(ukraine.descendants())


def test_a_region_cannot_go_under_its_own_descendant(tree):
    siberia = Region.objects.get(pk=tree["siberia"].pk)
    siberia.parent = Region.objects.get(pk=tree["oblast"].pk)

    with pytest.raises(ValidationError) as caught:
        siberia.full_clean()
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValueError):
        siberia.save()

    # The refused move left the database exactly as it was.
    siberia.refresh_from_db()
    assert siberia.parent_id == tree["russia"].pk
    city = Region.objects.get(pk=tree["city"].pk)
    assert names(city.ancestors()) == ["Russia", "Siberia", "Western Siberia", "Novosibirsk Oblast"]


def test_a_region_cannot_be_its_own_parent(tree):
    siberia = Region.objects.get(pk=tree["siberia"].pk)
    siberia.parent = siberia
    with pytest.raises(ValidationError):
        siberia.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=siberia.pk).update(parent=siberia.pk)


# Slugs -------------------------------------------------------------------------------


def test_a_russian_only_name_gets_a_readable_transliterated_slug():
    org = OrganizationFactory(name_ru="Правозащитный центр «Надежда»", name_en="")
    assert org.slug == "pravozashchitnyi-tsentr-nadezhda"


def test_the_same_russian_name_gets_unique_slugs():
    first = OrganizationFactory(name_ru="Щит и меч", name_en="")
    second = OrganizationFactory(name_ru="Щит и меч", name_en="")
    third = OrganizationFactory(name_ru="Щит и меч", name_en="")
    assert [first.slug, second.slug, third.slug] == [
        "shchit-i-mech",
        "shchit-i-mech-2",
        "shchit-i-mech-3",
    ]


def test_a_slug_is_stable_when_the_name_changes():
    org = OrganizationFactory(name_ru="Щит и меч", name_en="")
    org.name_ru = "Щит"
    org.name_en = "Shield"
    org.save()
    org.refresh_from_db()
    assert org.slug == "shchit-i-mech"


def test_a_name_without_letters_falls_back_to_a_unique_slug():
    first = OrganizationFactory(name_ru="«—»", name_en="")
    second = OrganizationFactory(name_ru="—", name_en="")
    assert (first.slug, second.slug) == ("organization", "organization-2")


@pytest.mark.parametrize(
    "factory, field, expected",
    [
        (RegionFactory, "name", "zapadnaia-sibir"),
        (ActivityTypeFactory, "name", "pravovoe-prosveshchenie"),
        (PersonFactory, "name", "andrei-tsiurusin"),
    ],
)
def test_every_model_transliterates_russian_only_names(factory, field, expected):
    ru = {
        "zapadnaia-sibir": "Западная Сибирь",
        "pravovoe-prosveshchenie": "Правовое просвещение",
        "andrei-tsiurusin": "Андрей Цюрусин",
    }[expected]
    first = factory(**{f"{field}_ru": ru, f"{field}_en": ""})
    second = factory(**{f"{field}_ru": ru, f"{field}_en": ""})
    assert first.slug == expected
    assert second.slug == f"{expected}-2"


def test_the_english_name_is_preferred_for_the_slug():
    org = OrganizationFactory(
        name_ru="Московская Хельсинкская группа", name_en="Moscow Helsinki Group"
    )
    assert org.slug == "moscow-helsinki-group"


# Constraints enforced by the database --------------------------------------------------


def refused_by_database(model, pk, **values):
    """The update is refused with IntegrityError and the row is left unchanged."""
    before = model.objects.filter(pk=pk).values().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)
    assert model.objects.filter(pk=pk).values().get() == before
    return True


@pytest.mark.parametrize(
    "values",
    [
        {"kind": "party"},
        {"status": "banned"},
        {"founded": 1700},
        {"founded": 2500},
    ],
)
def test_bad_organization_values_are_refused_by_the_database(values):
    org = OrganizationFactory()
    assert refused_by_database(Organization, org.pk, **values)


@pytest.mark.parametrize(
    "values, field",
    [
        ({"kind": "party"}, "kind"),
        ({"status": "banned"}, "status"),
        ({"founded": 1700}, "founded"),
        ({"email": "not an address"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
    ],
)
def test_bad_organization_values_fail_full_clean(values, field):
    org = OrganizationFactory()
    for name, value in values.items():
        setattr(org, name, value)
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert field in caught.value.message_dict


def test_an_organization_cannot_be_its_own_branch():
    org = OrganizationFactory()
    assert refused_by_database(Organization, org.pk, parent=org.pk)


def test_a_duplicate_slug_is_refused_by_the_database_and_by_full_clean():
    taken = OrganizationFactory(name_en="Memorial")
    other = OrganizationFactory(name_en="Other")
    assert refused_by_database(Organization, other.pk, slug=taken.slug)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.bulk_create(
            [Organization(name_ru="Мемориал", name_en="Memorial", slug=taken.slug)]
        )
    duplicate = Organization(name_ru="Мемориал", name_en="Memorial", slug=taken.slug)
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "slug" in caught.value.message_dict
    assert Organization.objects.filter(slug=taken.slug).count() == 1


@pytest.mark.parametrize("values", [{"kind": "pager"}, {"number": ""}])
def test_bad_phone_values_are_refused_by_the_database(values):
    phone = PhoneFactory()
    assert refused_by_database(Phone, phone.pk, **values)
    phone.kind = "pager"
    with pytest.raises(ValidationError) as caught:
        phone.full_clean()
    assert "kind" in caught.value.message_dict


def test_a_bad_region_kind_is_refused_by_the_database():
    region = RegionFactory()
    assert refused_by_database(Region, region.pk, kind="planet")
    region.kind = "planet"
    with pytest.raises(ValidationError):
        region.full_clean()


def test_a_duplicate_region_or_activity_slug_is_refused():
    region, other_region = RegionFactory(), RegionFactory()
    assert refused_by_database(Region, other_region.pk, slug=region.slug)
    activity, other_activity = ActivityTypeFactory(), ActivityTypeFactory()
    assert refused_by_database(ActivityType, other_activity.pk, slug=activity.slug)


def test_affiliation_years_must_be_in_order():
    affiliation = AffiliationFactory(start_year=1990, end_year=1995)
    assert refused_by_database(Affiliation, affiliation.pk, start_year=2000)
    affiliation.start_year = 2000
    with pytest.raises(ValidationError):
        affiliation.full_clean()


# Queryset methods the public pages use ------------------------------------------------


def test_published_excludes_draft_organizations_and_people():
    public = OrganizationFactory(is_published=True)
    OrganizationFactory(is_published=False)
    person = PersonFactory(is_published=True)
    PersonFactory(is_published=False)
    assert list(Organization.objects.published()) == [public]
    assert list(Person.objects.published()) == [person]


def test_published_affiliations_need_a_published_person_and_organization():
    shown = AffiliationFactory()
    AffiliationFactory(person__is_published=False)
    AffiliationFactory(organization__is_published=False)
    assert list(Affiliation.objects.published()) == [shown]


def test_with_public_contacts_hides_restricted_contacts(django_assert_num_queries):
    open_org = OrganizationFactory(
        name_en="Open",
        address_ru="ул. Мира, 1",
        address_en="ul. Mira 1",
        postal_code="630000",
        email="open@example.org",
    )
    PhoneFactory(organization=open_org, number="383-000-00-01")
    hidden = OrganizationFactory(
        name_en="Hidden",
        contacts_public=False,
        address_ru="ул. Тайная, 2",
        address_en="ul. Tainaya 2",
        postal_code="364000",
        email="hidden@example.org",
    )
    PhoneFactory(organization=hidden, number="8712-00-00-02")
    PhoneFactory(organization=hidden, number="8712-00-00-03", kind=Phone.Kind.FAX)

    with django_assert_num_queries(2):
        rows = {org.name_en: org for org in Organization.objects.with_public_contacts()}

    shown = rows["Open"]
    assert (shown.public_address_ru, shown.public_address_en) == ("ул. Мира, 1", "ul. Mira 1")
    assert (shown.public_postal_code, shown.public_email) == ("630000", "open@example.org")
    assert [phone.number for phone in shown.public_phones] == ["383-000-00-01"]

    restricted = rows["Hidden"]
    assert restricted.public_address_ru == ""
    assert restricted.public_address_en == ""
    assert restricted.public_postal_code == ""
    assert restricted.public_email == ""
    assert restricted.public_phones == []


def test_in_region_includes_every_region_below(tree):
    in_city = OrganizationFactory(name_en="In Novosibirsk", region=tree["city"])
    in_siberia = OrganizationFactory(name_en="In Siberia", region=tree["siberia"])
    in_ukraine = OrganizationFactory(name_en="In Ukraine", region=tree["ukraine"])
    OrganizationFactory(name_en="Nowhere", region=None)

    def found(key):
        region = Region.objects.get(pk=tree[key].pk)
        return set(Organization.objects.in_region(region).values_list("name_en", flat=True))

    assert found("siberia") == {in_city.name_en, in_siberia.name_en}
    assert found("western") == {in_city.name_en}
    assert found("russia") == {in_city.name_en, in_siberia.name_en}
    assert found("ukraine") == {in_ukraine.name_en}


def test_in_region_does_not_mix_up_ids_with_a_common_prefix():
    # The path "/7001/" is a string prefix of "/70010/" but for the slash.
    short = RegionFactory(id=7001)
    long = RegionFactory(id=70010)
    OrganizationFactory(name_en="Under short", region=short)
    OrganizationFactory(name_en="Under long", region=long)
    found = Organization.objects.in_region(short).values_list("name_en", flat=True)
    assert list(found) == ["Under short"]


# Search text ---------------------------------------------------------------------------


def test_search_text_holds_the_russian_and_its_folded_latin_form():
    org = OrganizationFactory(
        name_ru="Щит и меч",
        name_en="",
        city_ru="Ёлкино",
        description_en="Legal aid",
    )
    # Names lead, each framed with its words two spaces apart (``search_document``).
    assert org.search_text.startswith(" ‹  щит  и  меч  › ‹  scit  i  mech  › ")
    assert "елкино" in org.search_text  # ё is folded to е
    assert fold_latin("Shchit i mech") == "scit i mech"
    assert "legal aid" in org.search_text


def test_search_text_follows_a_change_of_name_even_with_update_fields():
    org = OrganizationFactory(name_ru="Щит", name_en="")
    org.name_ru = "Мемориал"
    org.save(update_fields=["name_ru"])
    org.refresh_from_db()
    assert "мемориал" in org.search_text
    assert fold_latin("Memorial") in org.search_text
    assert "щит" not in org.search_text


def test_person_search_text_holds_both_languages():
    person = PersonFactory(
        name_ru="Яна Лантратова", name_en="Yana Lantratova", title_en="executive secretary"
    )
    assert "‹  яна  лантратова  ›" in person.search_text
    assert "‹  yana  lantratova  ›" in person.search_text
    assert "executive secretary" in person.search_text

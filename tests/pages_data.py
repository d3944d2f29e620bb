"""A small published world with drafts and restricted contacts planted in every relation.

Each hidden value carries a unique marker so a test can assert it appears nowhere: every
field of a draft (names, descriptions, contacts) and every restricted contact.
"""

from dataclasses import dataclass

from directory.models import Organization, Region
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationEventFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PracticeFactory,
    PublicationFactory,
    RegionFactory,
    SeriesFactory,
    SourceFactory,
)

DRAFT_MARKERS = {
    "parent": "DRAFTPARENTzq1",
    "branch": "DRAFTBRANCHzq2",
    "partner": "DRAFTPARTNERzq3",
    "person": "DRAFTPERSONzq4",
    "publisher": "DRAFTPUBLISHERzq5",
    "publication": "DRAFTPUBLICATIONzq6",
    "editor": "DRAFTEDITORzq7",
    "similar": "DRAFTSIMILARzq8",
    "practice": "DRAFTPRACTICEzq23",
}
RESTRICTED_MARKERS = {
    "address_ru": "ЗАКРЫТЫЙАДРЕСzq9",
    "address_en": "SECRETADDRESSzq10",
    "postal_code": "999zq11",
    "email": "secret-zq12@example.org",
    "phone": "+7 000 zq13",
    "fax": "+7 000 zq14",
    "mobile": "+7 000 zq15",
}
# Events seen by staff only (and their staff-only sources), and the events of a draft.
EVENT_MARKERS = {
    "former_name": "HIDDENFORMERzq16",
    "note": "HIDDENNOTEzq17",
    "source": "HIDDENSOURCEzq18",
    "draft_former_name": "DRAFTFORMERzq19",
    "draft_note": "DRAFTEVENTzq20",
}
# Every field of a pending public submission (directory.Submission): never public.
SUBMISSION_MARKERS = {
    "name_ru": "ПРЕДЛОЖЕНИЕzq30",
    "name_en": "SUGGESTEDNAMEzq31",
    "city_ru": "ПРЕДЛОЖЕННЫЙГОРОДzq32",
    "city_en": "SUGGESTEDCITYzq33",
    "description_ru": "ПРЕДЛОЖЕННОЕОПИСАНИЕzq34",
    "description_en": "SUGGESTEDDESCRIPTIONzq35",
    "address_ru": "ПРЕДЛОЖЕННЫЙАДРЕСzq36",
    "address_en": "SUGGESTEDADDRESSzq37",
    "postal_code": "zq38",
    "phone": "+7 000 zq39",
    "email": "suggested-zq40@example.org",
    "website": "https://suggested-zq41.example.org/",
    "region": "suggested-region-zq42",
    "activity": "suggested-activity-zq43",
    "kind": "SUGGESTEDKINDzq44",
    "source_note": "SUGGESTEDSOURCEzq45",
    "submitter_name": "SUBMITTERzq46",
    "submitter_email": "submitter-zq47@example.org",
    "reason": "REJECTIONzq48",
}
ALL_MARKERS = [*DRAFT_MARKERS.values(), *RESTRICTED_MARKERS.values(), *EVENT_MARKERS.values()]
DRAFT_ORGANIZATION_FIELDS = (
    "name_ru", "name_en", "short_name_ru", "short_name_en", "city_ru", "city_en",
    "description_ru", "description_en", "address_ru", "address_en", "postal_code",
)  # fmt: skip


def plant_submissions(world: "World") -> list:
    """Pending submissions (a correction of a published entry, one of an entry with
    restricted contacts, a new organization) and a rejected one, every field a marker."""
    from directory.models import Submission

    m = SUBMISSION_MARKERS
    data = {
        key: m[key]
        for key in (
            "name_ru", "name_en", "city_ru", "city_en", "description_ru", "description_en",
            "address_ru", "address_en", "postal_code", "email", "website", "region", "kind",
        )
    }  # fmt: skip
    data.update(phones=[m["phone"]], activities=[m["activity"]])
    people = {
        "source_note": m["source_note"],
        "submitter_name": m["submitter_name"],
        "submitter_email": m["submitter_email"],
    }
    return [
        Submission.objects.create(
            kind="correction", organization=world.org, data=data, language="ru", **people
        ),
        Submission.objects.create(
            kind="correction", organization=world.restricted, data=data, language="en", **people
        ),
        Submission.objects.create(kind="new", data=data, language="en", **people),
        Submission.objects.create(
            kind="correction",
            organization=world.similar,
            data=data,
            language="ru",
            status="rejected",
            reason=m["reason"],
            **people,
        ),  # fmt: skip
    ]


def marked(marker: str, *fields: str) -> dict[str, str]:
    """Each of ``fields`` set to ``marker``."""
    return dict.fromkeys(fields, marker)


@dataclass
class World:
    russia: Region
    moscow_oblast: Region
    city: Region
    org: Organization
    restricted: Organization
    partner: Organization
    branch: Organization
    similar: Organization
    legal: object
    monitoring: object
    person: object
    draft_person: object
    publication: object
    planned: object
    draft_org: Organization
    practice: object
    draft_practice: object


def build_world() -> World:
    russia = RegionFactory(name_en="Russia", name_ru="Россия", kind=Region.Kind.COUNTRY)
    moscow_oblast = RegionFactory(
        name_en="Moscow Oblast", name_ru="Московская область", parent=russia
    )
    city = RegionFactory(
        name_en="Podolsk", name_ru="Подольск", parent=moscow_oblast, kind=Region.Kind.CITY
    )
    legal = ActivityTypeFactory(name_en="Legal defense", name_ru="Правовая защита")
    monitoring = ActivityTypeFactory(name_en="Monitoring", name_ru="Мониторинг")
    education = ActivityTypeFactory(name_en="Education", name_ru="Просвещение")

    draft_parent = OrganizationFactory(
        **marked(DRAFT_MARKERS["parent"], *DRAFT_ORGANIZATION_FIELDS),
        email=f"{DRAFT_MARKERS['parent']}@example.org", is_published=False,
        region=moscow_oblast, activities=[legal],
    )  # fmt: skip
    PhoneFactory(organization=draft_parent, number=DRAFT_MARKERS["parent"])
    org = OrganizationFactory(
        name_ru="Московская Хельсинкская группа",
        name_en="Moscow Helsinki Group",
        short_name_en="MHG",
        short_name_ru="МХГ",
        region=city,
        city_ru="Подольск",
        city_en="Podolsk",
        address_ru="ул. Открытая, 1",
        address_en="1 Open Street",
        postal_code="101000",
        email="mhg@example.org",
        website="https://mhg.example.org/",
        founded=1976,
        description_ru="Старейшая правозащитная организация России.",
        description_en="",
        parent=draft_parent,
        activities=[legal, monitoring],
    )
    PhoneFactory(organization=org, number="+7 095 206-81-71", kind="tel")
    PhoneFactory(organization=org, number="+7 095 921-12-09", kind="fax")
    PhoneFactory(organization=org, number="+7 916 000-00-01", kind="mobile")

    branch = OrganizationFactory(
        name_en="Tver branch", name_ru="Тверское отделение", parent=org, region=moscow_oblast,
        activities=[education],
    )  # fmt: skip
    OrganizationFactory(
        name_ru=DRAFT_MARKERS["branch"], name_en=DRAFT_MARKERS["branch"], parent=org,
        is_published=False, region=moscow_oblast, activities=[legal, monitoring],
    )  # fmt: skip
    partner = OrganizationFactory(
        name_en="Memorial", name_ru="Мемориал", region=russia, activities=[legal]
    )
    draft_partner = OrganizationFactory(
        name_ru=DRAFT_MARKERS["partner"], name_en=DRAFT_MARKERS["partner"], is_published=False,
        region=moscow_oblast, activities=[legal, monitoring],
    )  # fmt: skip
    org.partners.add(partner, draft_partner)
    similar = OrganizationFactory(
        name_en="Podolsk Rights Centre", name_ru="Подольский правозащитный центр",
        region=moscow_oblast, activities=[legal, monitoring],
    )  # fmt: skip
    OrganizationFactory(
        name_ru=DRAFT_MARKERS["similar"], name_en=DRAFT_MARKERS["similar"], is_published=False,
        region=city, activities=[legal, monitoring],
    )  # fmt: skip

    restricted = OrganizationFactory(
        name_en="Group at risk",
        name_ru="Группа под угрозой",
        region=moscow_oblast,
        contacts_public=False,
        address_ru=RESTRICTED_MARKERS["address_ru"],
        address_en=RESTRICTED_MARKERS["address_en"],
        postal_code=RESTRICTED_MARKERS["postal_code"],
        email=RESTRICTED_MARKERS["email"],
        activities=[legal],
    )
    PhoneFactory(organization=restricted, number=RESTRICTED_MARKERS["phone"], kind="tel")
    PhoneFactory(organization=restricted, number=RESTRICTED_MARKERS["fax"], kind="fax")
    PhoneFactory(organization=restricted, number=RESTRICTED_MARKERS["mobile"], kind="mobile")
    restricted.partners.add(org)

    person = PersonFactory(
        name_en="Lyudmila Alexeyeva", name_ru="Людмила Алексеева", region=moscow_oblast,
        title_en="Chair", title_ru="Председатель",
    )  # fmt: skip
    AffiliationFactory(person=person, organization=org, role_en="chair", role_ru="председатель")
    AffiliationFactory(person=person, organization=draft_partner, role_en="founder")
    draft_person = PersonFactory(
        **marked(DRAFT_MARKERS["person"], "name_ru", "name_en", "title_en", "biography_ru"),
        is_published=False, region=moscow_oblast,
    )  # fmt: skip
    AffiliationFactory(person=draft_person, organization=org, role_en=DRAFT_MARKERS["person"])

    draft_publisher = OrganizationFactory(
        name_ru=DRAFT_MARKERS["publisher"], name_en=DRAFT_MARKERS["publisher"],
        is_published=False, region=russia,
    )  # fmt: skip
    draft_editor = PersonFactory(
        name_ru=DRAFT_MARKERS["editor"], name_en=DRAFT_MARKERS["editor"], is_published=False
    )
    series = SeriesFactory(name_en="Legal Culture", name_ru="Правовая культура")
    publication = PublicationFactory(
        title_en="The Nationalities Problem and Human Rights",
        title_ru="Национальная проблема и права человека",
        city_en="Moscow",
        city_ru="Москва",
        year=1993,
        pages=256,
        series=series,
        publisher=org,
        topics=[legal],
        editors=[person, draft_editor],
    )
    planned = PublicationFactory(
        title_en="Freedom of Conscience", title_ru="Свобода совести", year=1996,
        status="planned", series=series, publisher=draft_publisher,
    )  # fmt: skip
    PublicationFactory(
        **marked(DRAFT_MARKERS["publication"], "title_ru", "title_en", "description_en", "city_ru"),
        is_published=False, publisher=org, editors=[person], series=series, topics=[legal],
    )  # fmt: skip
    _plant_events(similar, draft_parent)
    # Done by the organization and by a draft; a draft practice of the organization in
    # the same type of work and region (its page, landing pages, home, "other experience").
    practice = PracticeFactory(
        title_en="Legal Culture seminars", title_ru="Семинары «Правовая культура»",
        summary_en="Legal education through seminars.",
        summary_ru="Правовое просвещение через семинары.",
        body_en="The group held seminars.\n\n- The first book\n- The second book",
        body_ru="Группа проводила семинары.\n\n- Первая книга\n- Вторая книга",
        lessons_en="Publish what a seminar collects.",
        lessons_ru="Издавать то, что собрано на семинаре.",
        start="1992", end="1994", organizations=[org, draft_parent], activities=[legal],
        regions=[city],
    )  # fmt: skip
    draft_practice = PracticeFactory(
        **marked(
            DRAFT_MARKERS["practice"], "title_ru", "title_en", "summary_ru", "summary_en",
            "body_ru", "body_en", "lessons_ru", "lessons_en",
        ),
        is_published=False, organizations=[org], activities=[legal], regions=[city],
        start_date="1993",
    )  # fmt: skip
    return World(
        russia=russia, moscow_oblast=moscow_oblast, city=city, org=org, restricted=restricted,
        partner=partner, branch=branch, similar=similar, legal=legal, monitoring=monitoring,
        person=person, draft_person=draft_person, publication=publication, planned=planned,
        draft_org=draft_parent, practice=practice, draft_practice=draft_practice,
    )  # fmt: skip


def _plant_events(published: Organization, draft: Organization) -> None:
    """A public event of ``published`` citing a public and a staff-only source; its
    staff-only events (each would change what the public sees if it counted); public
    events of the ``draft``."""
    hidden = EVENT_MARKERS
    staff_source = SourceFactory(
        **marked(hidden["source"], "title_ru", "title_en", "publisher_en", "note_ru"),
        url=f"https://example.org/{hidden['source']}", is_public=False,
    )  # fmt: skip
    registry = SourceFactory(title_ru="Выписка из реестра", title_en="Registry extract")
    OrganizationEventFactory(
        organization=published, kind="registered", date="1994-05",
        note_en="Registered as a public organization.", sources=[registry, staff_source],
    )  # fmt: skip
    for kind, date in (
        ("renamed", "1998"),
        ("liquidated", "2023-01-25"),
        ("foreign_agent", "2015"),
    ):
        OrganizationEventFactory(
            organization=published, kind=kind, date=date, is_public=False,
            **marked(hidden["former_name"], "former_name_ru", "former_name_en"),
            **marked(hidden["note"], "note_ru", "note_en"),
        )  # fmt: skip
    for kind, date in (("renamed", "1980"), ("undesirable", "2021")):
        OrganizationEventFactory(
            organization=draft, kind=kind, date=date, sources=[registry],
            **marked(hidden["draft_former_name"], "former_name_ru", "former_name_en"),
            **marked(hidden["draft_note"], "note_ru", "note_en"),
        )  # fmt: skip


def public_urls(world: World, language: str) -> list[str]:
    """Every page the pages helper owns, in one language."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return [
            reverse("directory:home"),
            reverse("directory:about"),
            reverse("directory:practice_list"),
            reverse("directory:region_list"),
            reverse("directory:activity_list"),
            world.org.get_absolute_url(),
            world.restricted.get_absolute_url(),
            world.partner.get_absolute_url(),
            world.branch.get_absolute_url(),
            world.similar.get_absolute_url(),
            world.russia.get_absolute_url(),
            world.moscow_oblast.get_absolute_url(),
            world.city.get_absolute_url(),
            world.legal.get_absolute_url(),
            world.monitoring.get_absolute_url(),
            world.person.get_absolute_url(),
            world.publication.get_absolute_url(),
            world.planned.get_absolute_url(),
            world.practice.get_absolute_url(),
        ]

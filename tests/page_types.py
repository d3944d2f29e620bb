"""Every type of page of the site, with data that fills each of its parts: the pages
that the accessibility (axe-core) and HTML validity (Nu Html Checker) tests check."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import OrganizationEventFactory, SourceFactory, perm_chambers
from tests.pages_data import World, build_world

# More organizations than a list page shows, so the list has its pagination.
PAGE_FILLERS = 51


def build_page_world() -> World:
    """The shared world (tests/pages_data.py), its main organization given public events
    citing sources (a web page and a printed one), and enough organizations to paginate."""
    world = build_world()
    registry = SourceFactory(
        title_ru="Выписка из ЕГРЮЛ",
        title_en="Unified State Register extract",
        url="https://example.org/registry/mhg",
        publisher_ru="ФНС России",
        publisher_en="Federal Tax Service",
    )
    book = SourceFactory(title_ru="Справочник «Права человека»", title_en="Human Rights handbook")
    OrganizationEventFactory(organization=world.org, kind="founded", date="1976-05-12")
    OrganizationEventFactory(
        organization=world.org, kind="registered", date="1989-07", sources=[registry, book]
    )
    OrganizationEventFactory(
        organization=world.org,
        kind="renamed",
        date="1992",
        former_name_ru="Общественная группа содействия",
        former_name_en="Public Group to Assist",
        note_ru="Переименована при перерегистрации.",
        note_en="Renamed when registered again.",
        sources=[registry],
    )
    perm_chambers(world, lambda n: [world.monitoring], count=PAGE_FILLERS)
    return world


def page_types(world: World, language: str) -> list[tuple[str, str]]:
    """(name, URL) of each type of page in ``language``; the names make file names."""
    with translation.override(language):
        filtered = reverse("directory:organization_list") + (
            f"?q={'правозащит' if language == 'ru' else 'rights'}"
            f"&region={world.moscow_oblast.slug}"
            f"&activity={world.legal.slug}&activity={world.monitoring.slug}&status=active"
        )
        return [
            ("home", reverse("directory:home")),
            ("organizations", reverse("directory:organization_list")),
            ("organizations-filtered", filtered),
            ("organization", world.org.get_absolute_url()),
            ("regions", reverse("directory:region_list")),
            ("region", world.moscow_oblast.get_absolute_url()),
            ("activities", reverse("directory:activity_list")),
            ("activity", world.legal.get_absolute_url()),
            ("people", reverse("directory:person_list")),
            ("person", world.person.get_absolute_url()),
            ("publications", reverse("publications:publication_list")),
            ("publication", world.publication.get_absolute_url()),
            ("practices", reverse("directory:practice_list")),
            ("practice", world.practice.get_absolute_url()),
            ("about", reverse("directory:about")),
            ("statistics", reverse("directory:statistics")),
            (
                "statistics-filtered",
                reverse("directory:statistics")
                + f"?region={world.russia.slug}&activity={world.monitoring.slug}&founded=1970",
            ),
            ("data", reverse("opendata:data")),
            ("contact", reverse("directory:organization_contact", args=[world.org.slug])),
            ("suggest", reverse("directory:suggest")),
            (
                "suggest-correction",
                reverse("directory:organization_suggest", args=[world.org.slug]),
            ),
            ("not-found", f"/{language}/no-such-page/"),
            # Outside /ru/ and /en/: its language comes from the browser's Accept-Language.
            ("admin-login", f"/{settings.ADMIN_URL}login/"),
        ]

"""Restricted data never reaches the public: a marker planted in every restricted field.

Drafts (organizations, people, publications) and the contacts of organizations
whose contacts are not public carry the marker "zqxmark" in every field. Every
public URL is fetched in both languages (home, about, lists with facets and
search, details, regions, types of work, sitemap, robots, CSV/JSON exports,
the 404 page) and the marker must not appear, page titles included. Staff see
it in the admin.
"""

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from directory.models import Phone
from tests.factories import (
    ActivityTypeFactory,
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
    PublicationFactory,
    RegionFactory,
    SeriesFactory,
)
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

MARKER = "zqxmark"
LANGUAGES = ("ru", "en")
EXPORT_FORMATS = ("csv", "json")


def mark(n: int, text: str = "") -> str:
    return f"Zqxmark{n} {text}".strip()


@pytest.fixture
def world():
    """Published entries next to drafts and restricted contacts, all linked together."""
    country = RegionFactory(name_en="Russia", name_ru="Россия", kind="country")
    region = RegionFactory(name_en="Perm Krai", name_ru="Пермский край", parent=country)
    activity = ActivityTypeFactory(name_en="Prison monitoring", name_ru="Мониторинг тюрем")
    series = SeriesFactory(name_en="Legal Culture", name_ru="Правовая культура")

    # Published, contacts restricted: every contact field marked.
    hidden = OrganizationFactory(
        name_en="Open Group", name_ru="Открытая группа", region=region, city_ru="Пермь",
        city_en="Perm", contacts_public=False, activities=[activity],
        address_ru=mark(1, "ул. Ленина"), address_en=mark(2, "Lenin St"),
        postal_code="zqxmark3", email="zqxmark4@example.org", website="https://open.example.org",
    )  # fmt: skip
    for n, kind in ((5, Phone.Kind.TEL), (6, Phone.Kind.FAX), (7, Phone.Kind.MOBILE)):
        PhoneFactory(organization=hidden, number=f"+7 {n} zqxmark{n}", kind=kind)

    # A draft organization: its names, descriptions and contacts all marked.
    draft = OrganizationFactory(
        is_published=False, region=region, activities=[activity], parent=hidden,
        name_en=mark(10, "Ivushka Centre"), name_ru=mark(11, "Центр Ивушка"),
        short_name_en=mark(12), short_name_ru=mark(13), city_ru=mark(14), city_en=mark(15),
        description_en=mark(16, "secret"), description_ru=mark(17, "секрет"),
        address_ru=mark(18), postal_code="zqxmark19", email="zqxmark20@example.org",
    )  # fmt: skip
    PhoneFactory(organization=draft, number="+7 zqxmark21")
    hidden.partners.add(draft)

    # People: a draft one in a published organization, a published one in a draft.
    draft_person = PersonFactory(
        is_published=False, region=region, name_en=mark(30, "Ivan Ivushkin"),
        name_ru=mark(31, "Иван Ивушкин"), title_en=mark(32), biography_ru=mark(33),
    )  # fmt: skip
    AffiliationFactory(person=draft_person, organization=hidden, role_en=mark(34))
    person = PersonFactory(name_en="Lyudmila Alexeyeva", name_ru="Людмила Алексеева")
    AffiliationFactory(person=person, organization=draft, role_en="founder", role_ru="основатель")
    AffiliationFactory(person=person, organization=hidden, role_en="chair", role_ru="председатель")

    # Publications: a draft one; a published one whose publisher and editor are drafts.
    PublicationFactory(
        is_published=False, series=series, publisher=hidden, topics=[activity],
        title_en=mark(40, "Ivushka handbook"), title_ru=mark(41, "Пособие Ивушка"),
        description_en=mark(42), city_ru=mark(43), editors=[person],
    )  # fmt: skip
    book = PublicationFactory(
        series=series, publisher=draft, topics=[activity], editors=[draft_person],
        title_en="Human rights and the police", title_ru="Права человека и полиция",
    )  # fmt: skip
    return {
        "region": region, "country": country, "activity": activity, "series": series,
        "hidden": hidden, "draft": draft, "person": person, "draft_person": draft_person,
        "book": book,
    }  # fmt: skip


def public_url_names() -> set[str]:
    """Every named URL of the public site (both apps), as the URLconf declares them."""
    names = set()
    for namespace in ("directory", "publications"):
        _prefix, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}
    return names


def public_urls(world) -> tuple[list[str], list[str]]:
    """Every public URL worth fetching, and the URL names that do not exist (yet)."""
    r, a = world["region"].slug, world["activity"].slug
    org_queries = [
        {}, {"q": "Ивушка"}, {"q": "Ivushka"}, {"q": "Открытая"}, {"q": "Perm"},
        {"region": r}, {"region": world["country"].slug}, {"activity": a},
        {"kind": "group"}, {"status": "active"}, {"region": r, "activity": a, "q": "Perm"},
    ]  # fmt: skip
    person_queries = [{}, {"q": "Ivushkin"}, {"q": "Иван"}, {"region": r}]
    publication_queries = [{}, {"q": "Ivushka"}, {"q": "полиция"}, {"topic": a}, {"year": 1993}]
    pages = [
        ("directory:home", {}, [{}]),
        ("directory:about", {}, [{}]),
        ("directory:organization_list", {}, org_queries),
        ("directory:organization_detail", {"slug": world["hidden"].slug}, [{}]),
        ("directory:organization_detail", {"slug": world["draft"].slug}, [{}]),
        ("directory:region_list", {}, [{}]),
        ("directory:region_detail", {"slug": r}, [{}]),
        ("directory:region_detail", {"slug": world["country"].slug}, [{}]),
        ("directory:activity_list", {}, [{}]),
        ("directory:activity_detail", {"slug": a}, [{}]),
        ("directory:person_list", {}, person_queries),
        ("directory:person_detail", {"slug": world["person"].slug}, [{}]),
        ("directory:person_detail", {"slug": world["draft_person"].slug}, [{}]),
        ("publications:publication_list", {}, publication_queries),
        ("publications:publication_detail", {"slug": world["book"].slug}, [{}]),
    ]
    for name, queries in (
        ("directory:organization_export", org_queries),
        ("directory:person_export", person_queries),
        ("publications:publication_export", publication_queries),
    ):
        for fmt in EXPORT_FORMATS:
            pages.append((name, {"format": fmt}, queries))

    from urllib.parse import urlencode

    covered = {name for name, _kwargs, _queries in pages}
    assert public_url_names() <= covered, f"not fetched: {public_url_names() - covered}"

    urls, missing = [], []
    for lang in LANGUAGES:
        with translation.override(lang):
            for name, kwargs, queries in pages:
                try:
                    path = reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    missing.append(name)
                    continue
                urls += [path + ("?" + urlencode(q) if q else "") for q in queries]
            urls.append(f"/{lang}/no-such-page-{MARKER}-free/")
    urls += ["/sitemap.xml", "/robots.txt"]
    return urls, sorted(set(missing))


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_the_marker_never_reaches_a_public_url(client, world):
    urls, missing = public_urls(world)
    fetched = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = body(response).lower()
        # A 404 may repeat the address asked for (the slug the visitor typed, in
        # canonical and alternate links); only the rest of the page counts.
        if response.status_code == 404:
            slug = url.lower().split("?")[0].strip("/").split("/")[-1]
            text = text.replace(slug, "")
        assert MARKER not in text, f"restricted data on {url}"
        fetched += 1
    assert fetched == len(urls) > 60
    # Exports are part of the public surface; their absence would leave a gap.
    assert missing == [], f"public URL names that do not resolve: {missing}"


def test_drafts_are_not_found_and_restricted_contacts_are_absent(client, world):
    for lang in LANGUAGES:
        with translation.override(lang):
            draft = reverse("directory:organization_detail", kwargs={"slug": world["draft"].slug})
            person = reverse("directory:person_detail", kwargs={"slug": world["draft_person"].slug})
            hidden = reverse("directory:organization_detail", kwargs={"slug": world["hidden"].slug})
        assert client.get(draft).status_code == 404
        assert client.get(person).status_code == 404
        page = client.get(hidden)
        assert page.status_code == 200
        # The page itself is public: its name shows, its contacts do not.
        assert ("Открытая группа" if lang == "ru" else "Open Group") in page.content.decode()


def test_staff_see_the_marker_in_the_admin(client, world):
    client.force_login(staff_user("viewer", group="Viewers"))
    pages = [
        reverse("admin:directory_organization_change", args=[world["hidden"].pk]),
        reverse("admin:directory_organization_change", args=[world["draft"].pk]),
        reverse("admin:directory_person_change", args=[world["draft_person"].pk]),
        reverse("admin:directory_organization_changelist") + "?q=Ivushka",
        reverse("admin:publications_publication_changelist") + "?is_published__exact=0",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARKER in response.content.decode().lower(), url
    hidden_page = client.get(pages[0]).content.decode()
    for token in ("zqxmark1", "zqxmark3", "zqxmark4@example.org", "zqxmark5", "zqxmark6"):
        assert token in hidden_page.lower()


def test_counts_leave_out_drafts(client, world):
    """Drafts are not counted either: one published organization, person, publication."""
    region_url = reverse("directory:region_detail", kwargs={"slug": world["region"].slug})
    assert client.get(region_url).context["org_count"] == 1
    assert client.get(reverse("directory:organization_list")).context["result"].total == 1
    activities = client.get(reverse("directory:activity_list")).content.decode()
    assert '<span class="count">1</span>' in activities
    assert '<span class="count">2</span>' not in activities
    for name, total in (
        ("directory:organization_export", 1),
        ("directory:person_export", 1),
        ("publications:publication_export", 1),
    ):
        response = client.get(reverse(name, kwargs={"format": "csv"}))
        assert response["X-Total-Count"] == str(total), name
        # Read to the end, as a client does: the export's first rows, read before the
        # response, hold the connection until then.
        assert len(b"".join(response.streaming_content).splitlines()) == 1 + total, name

"""Restricted data never reaches the public: a marker planted in every restricted field.

The shared world (tests/pages_data.py) gives drafts (organizations, people,
publications), the contacts of an organization whose contacts are not public, the
events seen by staff only (and their staff-only sources) and the events of a draft a
unique marker in every field. A staff-only source (``is_public`` off) with a marker in
each of its fields is cited, beside a public one, by a published organization, person
and publication. Every public URL is fetched in both languages (home, about, lists with
facets and search, details, regions, types of work, sitemap, robots, CSV/JSON exports,
the data page, data package and vocabularies, the 404 page) and no marker may appear,
page titles and JSON-LD included; nor in any file of a snapshot (``build_snapshot``,
spreadsheets unzipped). Staff see them in the admin.
"""

import datetime
import io
import re
import time
import zipfile
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from opendata import snapshot
from rightsnet import abuse
from sitedata.sitemaps import SITEMAPS
from tests.factories import SourceFactory
from tests.html import page
from tests.lists import list_ids
from tests.pages_data import (
    ALL_MARKERS,
    DRAFT_MARKERS,
    EVENT_MARKERS,
    RESTRICTED_MARKERS,
    SUBMISSION_MARKERS,
    plant_submissions,
)
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

SOURCE_MARKERS = {
    "title_ru": "СКРЫТЫЙИСТОЧНИКzq16",
    "title_en": "HIDDENSOURCEzq17",
    "publisher_ru": "СКРЫТЫЙИЗДАТЕЛЬzq18",
    "publisher_en": "HIDDENPUBLISHERzq19",
    "note_ru": "СКРЫТАЯЗАМЕТКАzq20",
    "note_en": "HIDDENNOTEzq21",
    "url": "https://hidden-source-zq22.example.org/",
}
MARKERS = [marker.lower() for marker in [*ALL_MARKERS, *SOURCE_MARKERS.values()]]
PUBLIC_SOURCE = "Open source of the world zq-free"


@pytest.fixture
def world(world):
    """The shared world, its entries citing a staff-only source and a public one."""
    hidden = SourceFactory(
        **SOURCE_MARKERS, date=datetime.date(2024, 3, 5), date_precision="day", is_public=False
    )
    public = SourceFactory(title_en=PUBLIC_SOURCE, title_ru=PUBLIC_SOURCE)
    for entry in (world.org, world.restricted, world.person, world.publication, world.practice):
        entry.sources.add(hidden, public)
    return world


LANGUAGES = ("ru", "en")
EXPORT_FORMATS = ("csv", "json")


def public_url_names() -> set[str]:
    """Every named URL of the public site (both apps), as the URLconf declares them."""
    names = set()
    for namespace in ("directory", "publications", "opendata"):
        _prefix, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in resolver.url_patterns if p.name}
    return names


def public_urls(world) -> tuple[list[str], list[str]]:
    """Every public URL worth fetching, and the URL names that do not exist (yet)."""
    r, a = world.moscow_oblast.slug, world.legal.slug
    # "draft" is in the name of every draft and "zq" in every marker: a search for
    # either would find them if they leaked into the index of public rows.
    org_queries = [
        {}, {"q": "draft"}, {"q": "zq"}, {"q": "угрозой"}, {"q": "Podolsk"},
        {"region": r}, {"region": world.russia.slug}, {"activity": a},
        {"kind": "group"}, {"status": "active"}, {"region": r, "activity": a, "q": "risk"},
        {"designation": "foreign_agent"}, {"designation": "undesirable"}, {"year": 2024},
        {"status": "closed", "q": "zq"}, {"founded": "1980"}, {"designated_in": 2021},
    ]  # fmt: skip
    person_queries = [{}, {"q": "draft"}, {"q": "zq"}, {"region": r}]
    publication_queries = [{}, {"q": "draft"}, {"q": "zq"}, {"topic": a}, {"year": 1993}]
    practice_queries = [
        {}, {"q": "draft"}, {"q": "zq"}, {"region": r}, {"activity": a}, {"year": 1993},
        {"organization": world.org.slug},
    ]  # fmt: skip
    pages = [
        ("directory:home", {}, [{}]),
        ("directory:about", {}, [{}]),
        ("directory:statistics", {}, org_queries),
        ("directory:organization_list", {}, org_queries),
        ("directory:organization_detail", {"slug": world.restricted.slug}, [{}]),
        ("directory:organization_detail", {"slug": world.org.slug}, [{}]),
        ("directory:organization_detail", {"slug": world.draft_org.slug}, [{}]),
        ("directory:organization_contact", {"slug": world.restricted.slug}, [{}]),
        ("directory:organization_contact", {"slug": world.org.slug}, [{}]),
        ("directory:organization_contact", {"slug": world.draft_org.slug}, [{}]),
        ("directory:region_list", {}, [{}]),
        ("directory:region_detail", {"slug": r}, [{}]),
        ("directory:region_detail", {"slug": world.russia.slug}, [{}]),
        ("directory:activity_list", {}, [{}]),
        ("directory:activity_detail", {"slug": a}, [{}]),
        ("directory:person_list", {}, person_queries),
        ("directory:person_detail", {"slug": world.person.slug}, [{}]),
        ("directory:person_detail", {"slug": world.draft_person.slug}, [{}]),
        ("publications:publication_list", {}, publication_queries),
        ("publications:publication_detail", {"slug": world.publication.slug}, [{}]),
        ("publications:publication_detail", {"slug": world.planned.slug}, [{}]),
        ("directory:practice_list", {}, practice_queries),
        ("directory:practice_detail", {"slug": world.practice.slug}, [{}]),
        ("directory:practice_detail", {"slug": world.draft_practice.slug}, [{}]),
        ("directory:organization_suggest", {"slug": world.org.slug}, [{}]),
        ("directory:organization_suggest", {"slug": world.restricted.slug}, [{}]),
        ("directory:organization_suggest", {"slug": world.draft_org.slug}, [{}]),
        ("directory:suggest", {}, [{}]),
        ("directory:suggest_thanks", {}, [{}, {"note": "1"}]),
        ("opendata:data", {}, [{}]),
        ("opendata:datapackage", {}, [{}]),
        ("opendata:regions_csv", {}, [{}]),
        ("opendata:activities_csv", {}, [{}]),
        ("opendata:latest_snapshot", {}, [{}]),
    ]
    for name, queries in (
        ("directory:organization_export", org_queries),
        ("directory:person_export", person_queries),
        ("publications:publication_export", publication_queries),
        ("directory:practice_export", practice_queries),
    ):
        for fmt in EXPORT_FORMATS:
            pages.append((name, {"format": fmt}, queries))

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
            urls.append(f"/{lang}/no-such-page/")
    urls += ["/sitemap.xml", "/robots.txt"]
    urls += [f"/sitemap-{section}.xml" for section in SITEMAPS]
    return urls, sorted(set(missing))


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_the_markers_never_reach_a_public_url(client, world):
    urls, missing = public_urls(world)
    fetched = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = body(response).lower()
        # A 404 may repeat the address asked for (the slug the visitor typed, in
        # canonical and alternate links); only the rest of the page counts.
        if response.status_code == 404:
            # (the slug typed: the one part of the address that holds a marker)
            for part in url.lower().split("?")[0].strip("/").split("/"):
                if "zq" in part:
                    text = text.replace(part, "")
        assert not [m for m in MARKERS if m in text], f"restricted data on {url}"
        fetched += 1
    assert fetched == len(urls) > 60
    # Exports are part of the public surface; their absence would leave a gap.
    assert missing == [], f"public URL names that do not resolve: {missing}"


def test_the_snapshot_holds_no_marker(world, settings, tmp_path):
    """Every file of a snapshot (``build_snapshot``), spreadsheets unzipped too, is free
    of every marker: drafts, restricted contacts, staff-only events and sources."""
    settings.SNAPSHOT_DIR = tmp_path
    call_command("build_snapshot", "--site-url=https://example.org")
    (path,) = snapshot.snapshots(tmp_path)
    searched = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            texts = [(name, data)]
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as sheet:
                    texts = [(f"{name}:{inner}", sheet.read(inner)) for inner in sheet.namelist()]
            for where, raw in texts:
                text = raw.decode("utf-8", "replace").lower()
                assert not [m for m in MARKERS if m in text], f"restricted data in {where}"
                searched.append(where)
    assert "ru/organizations.csv" in searched and "README.md" in searched
    # The public rows are there: the search looked at real content.
    with zipfile.ZipFile(path) as archive:
        assert PUBLIC_SOURCE.lower() in archive.read("en/organizations.csv").decode().lower()


def test_writing_to_the_restricted_group_never_shows_its_address(
    client, world, smtp_server, settings
):
    """The form, the confirmation, a refusal by a limit and a failed send: the message
    reaches the restricted address, and no page the sender sees holds a marker."""
    data = {"name": "Visitor", "email": "visitor@example.net", "message": "Hello", "homepage": ""}
    data["started"] = signing.dumps(time.time() - 60, salt=abuse._SALT)
    answers = []
    for lang in LANGUAGES:
        with translation.override(lang):
            url = reverse("directory:organization_contact", kwargs={"slug": world.restricted.slug})
        answers += [client.get(url), client.post(url, data)]
    assert [m.envelope_to for m in smtp_server.messages] == [[RESTRICTED_MARKERS["email"]]] * 2
    settings.RIGHTSNET_FORM_LIMITS = {**settings.RIGHTSNET_FORM_LIMITS, "sender": (2, 3600)}
    answers.append(client.post(url, data))
    smtp_server.stop()
    settings.RIGHTSNET_FORM_LIMITS = {**settings.RIGHTSNET_FORM_LIMITS, "sender": (100, 3600)}
    answers.append(client.post(url, data))
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429, 503]
    for answer in answers:
        text = body(answer).lower()
        assert not [m for m in MARKERS if m in text], answer.request["PATH_INFO"]


def test_public_submissions_never_reach_a_public_url(client, world):
    """A marker in every field of pending submissions (and a rejected one), for a
    published entry, an entry with restricted contacts and a new organization: on no
    public page, list, count, search, export or sitemap. Staff see them in the admin."""
    submissions = plant_submissions(world)
    markers = [marker.lower() for marker in SUBMISSION_MARKERS.values()]
    urls, _missing = public_urls(world)
    searches = []
    for lang in LANGUAGES:
        with translation.override(lang):
            search = reverse("directory:organization_list")
        searches += [(f"{search}?{urlencode({'q': m})}", m) for m in SUBMISSION_MARKERS.values()]
    for url, typed in [*((url, "") for url in urls), *searches]:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        # A search page repeats what the visitor typed; only the rest counts.
        text = body(response).lower().replace(typed.lower(), "")
        if response.status_code == 404:
            # (the slug typed: the one part of the address that holds a marker)
            for part in url.lower().split("?")[0].strip("/").split("/"):
                if "zq" in part:
                    text = text.replace(part, "")
        assert not [m for m in markers if m in text], f"a submission on {url}"
    # The search for a suggested name finds nothing: it is not in the public index.
    with translation.override("en"):
        search = reverse("directory:organization_list")
    found = list_ids(client, f"{search}?{urlencode({'q': SUBMISSION_MARKERS['name_en']})}")
    assert found == []

    client.force_login(staff_user("editor", group="Editors"))
    staff = client.get(reverse("admin:directory_submission_change", args=[submissions[0].pk]))
    for key in ("name_ru", "city_en", "description_ru", "source_note", "submitter_email"):
        assert SUBMISSION_MARKERS[key] in staff.content.decode(), key


def test_the_public_source_is_cited_where_the_hidden_one_is_not(client, world):
    """The hidden source is left out by the rule, not by a page that cites nothing."""
    for lang in LANGUAGES:
        entries = (world.org, world.restricted, world.person, world.publication, world.practice)
        for entry in entries:
            with translation.override(lang):
                url = entry.get_absolute_url()
            sources = page(client.get(url)).find("section", class_="sources")
            assert [item.text for item in sources.find("ul").items()] == [PUBLIC_SOURCE], url


def test_staff_only_sources_never_reach_a_public_url(client, world):
    """A source with ``is_public`` off, cited by public rows of every list, is in no
    export (nor on any page); a public source cited beside it is in the exports."""
    marker = "STAFFSOURCEzq16"
    internal = SourceFactory(
        title_en=marker, title_ru=marker, publisher_en=marker, publisher_ru=marker,
        url=f"https://example.org/{marker}", is_public=False,
    )  # fmt: skip
    public = SourceFactory(title_en="Open source zq17", title_ru="Открытый источник zq17")
    for row in (world.org, world.restricted, world.person, world.publication, world.practice):
        row.sources.add(internal, public)
    world.draft_org.sources.add(public)

    urls, _missing = public_urls(world)
    exports = 0
    for url in urls:
        response = client.get(url)
        text = body(response).lower()
        assert marker.lower() not in text, f"a staff-only source on {url}"
        if "/export." in url and "?" not in url:
            assert "zq17" in text, url
            exports += 1
    assert exports == len(LANGUAGES) * 4 * len(EXPORT_FORMATS)


def test_drafts_are_not_found_and_restricted_contacts_are_absent(client, world):
    for lang in LANGUAGES:
        with translation.override(lang):
            draft = world.draft_org.get_absolute_url()
            person = world.draft_person.get_absolute_url()
            practice = world.draft_practice.get_absolute_url()
            restricted = world.restricted.get_absolute_url()
        assert client.get(draft).status_code == 404
        assert client.get(person).status_code == 404
        assert client.get(practice).status_code == 404
        page = client.get(restricted)
        assert page.status_code == 200
        # The page itself is public: its name shows, its contacts do not.
        assert ("Группа под угрозой" if lang == "ru" else "Group at risk") in page.content.decode()


def test_staff_see_the_markers_in_the_admin(client, world):
    client.force_login(staff_user("viewer", group="Viewers"))
    pages = {
        reverse("admin:directory_organization_change", args=[world.draft_org.pk]): "parent",
        reverse("admin:directory_person_change", args=[world.draft_person.pk]): "person",
        reverse("admin:directory_organization_changelist") + "?q=draft": "partner",
        reverse("admin:publications_publication_changelist")
        + "?is_published__exact=0": "publication",
    }
    for url, marker in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert DRAFT_MARKERS[marker] in response.content.decode(), url
    url = reverse("admin:directory_organization_change", args=[world.restricted.pk])
    restricted = client.get(url).content.decode()
    for marker in RESTRICTED_MARKERS.values():
        assert marker in restricted


def test_staff_see_the_hidden_source_in_the_admin(client, world):
    # Migration 0003 gave the Viewers no permission on sources: a superuser looks.
    client.force_login(staff_user("boss", superuser=True))
    hidden = world.org.sources.get(is_public=False)
    source = client.get(reverse("admin:directory_source_change", args=[hidden.pk]))
    assert source.status_code == 200
    for marker in SOURCE_MARKERS.values():
        assert marker in source.content.decode()
    organization = client.get(reverse("admin:directory_organization_change", args=[world.org.pk]))
    assert SOURCE_MARKERS["title_ru"] in organization.content.decode()


def test_counts_leave_out_drafts(client, world):
    """Drafts are not counted either (each count would be higher with them)."""
    # Moscow Oblast holds four published organizations and four drafts.
    region = page(client.get(world.moscow_oblast.get_absolute_url()))
    assert "Здесь 4 опубликованные организации" in region.find("p", class_="lead").text
    organizations = page(client.get(reverse("directory:organization_list")))
    assert organizations.find("p", id="result-count").text == "Найдено организаций: 5"
    practices = page(client.get(reverse("directory:practice_list")))
    assert practices.find("p", id="result-count").text == "Найдено практик: 1"
    activities = client.get(reverse("directory:activity_list")).content.decode()
    counts = re.findall(r'<span class="count">(\d+)</span>', activities)
    # Legal defense 4 (with drafts 8), monitoring 2 (5), education 1.
    assert sorted(counts) == ["1", "2", "4"]
    for name, total in (
        ("directory:organization_export", 5),
        ("directory:person_export", 1),
        ("publications:publication_export", 2),
        ("directory:practice_export", 1),
    ):
        response = client.get(reverse(name, kwargs={"format": "csv"}))
        assert response["X-Total-Count"] == str(total), name
        # Read to the end, as a client does: the export's first rows, read before the
        # response, hold the connection until then.
        assert len(b"".join(response.streaming_content).splitlines()) == 1 + total, name


def test_events_seen_by_staff_only_and_events_of_drafts_decide_nothing_public(client, world):
    """Each of these events would change what the public sees if it counted: a former
    name to search by, a status, a designation to count, a year of closing."""
    similar = world.similar
    for lang, active in (("ru", "действует"), ("en", "active")):
        with translation.override(lang):
            url = similar.get_absolute_url()
            organizations = reverse("directory:organization_list")
        detail = page(client.get(url))
        assert detail.find("span", class_="status").text == active
        # Its public event, citing its public source only.
        (item,) = detail.find("ol", class_="timeline").items()
        assert ("Выписка из реестра" if lang == "ru" else "Registry extract") in item.text
        for q in (EVENT_MARKERS["former_name"], EVENT_MARKERS["draft_former_name"], "zq19"):
            assert list_ids(client, f"{organizations}?q={q}") == [], q
        assert similar.pk not in list_ids(client, f"{organizations}?status=closed")
        assert list_ids(client, f"{organizations}?designation=foreign_agent") == []
        assert list_ids(client, f"{organizations}?designation=undesirable") == []
        assert similar.pk in list_ids(client, f"{organizations}?year=2024")
        listing = page(client.get(organizations))
        facet = listing.find("fieldset", id="facet-designation")
        counts = facet.find_all("span", class_="facet-count")
        assert [count.text for count in counts] == ["0", "0"]
        assert not listing.find_all("ul", class_="badges")


def test_staff_see_the_events_the_public_does_not(client, world):
    client.force_login(staff_user("viewer", group="Viewers"))
    published = client.get(
        reverse("admin:directory_organization_change", args=[world.similar.pk])
    ).content.decode()
    for marker in ("former_name", "note"):
        assert EVENT_MARKERS[marker] in published
    draft = client.get(
        reverse("admin:directory_organization_change", args=[world.draft_org.pk])
    ).content.decode()
    assert EVENT_MARKERS["draft_former_name"] in draft
    events = client.get(reverse("admin:directory_organizationevent_changelist") + "?q=zq")
    assert events.status_code == 200
    sources = client.get(reverse("admin:directory_source_changelist") + "?q=zq18")
    assert EVENT_MARKERS["source"] in sources.content.decode()

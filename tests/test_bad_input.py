"""No input gives a server error: every public URL pattern and the admin's lists.

A property-based test (Hypothesis) sends random and nasty query strings, built as
raw text (symbols, punctuation only, NUL, invalid percent-encoding, right-to-left
overrides, FTS5, tsquery and regex syntax, very long values, repeated and array
parameters), to every URL pattern of the public site, found by walking the URLconf
so that a new pattern is covered without editing this file, in both languages; and
to the admin's changelists and autocomplete as a staff member. Every answer is below
500 with no traceback, and an export is a complete file. A fixed corpus of the
inputs from issue 10 stays as plain regression tests with what a visitor sees.

Each request runs in a savepoint, so that on PostgreSQL one failing request does
not abort the test's transaction for the next ones (and for Hypothesis' shrinking).
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import SlugConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import ActivityType, Organization, Person, Practice, Region
from publications.models import Publication, Series
from sitedata.sitemaps import SITEMAPS
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

# Bounded, reproducible and leaving nothing behind: the same examples in every run
# (CI on SQLite and on PostgreSQL), nothing written to .hypothesis/, no per-example
# deadline (a first request warms caches). The world is built once per test and
# only read by the examples, so a function-scoped fixture is what is wanted.
settings.register_profile(
    "bad-input",
    max_examples=80,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
BAD_INPUT = settings.get_profile("bad-input")

LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
ADMIN_PREFIX = "/" + django_settings.ADMIN_URL


# The URLconf, walked.


@dataclass(frozen=True)
class Pattern:
    """A named URL pattern: how to reverse it and which arguments it takes."""

    name: str  # with namespaces: "directory:organization_detail"
    route: str  # for test ids and messages
    arguments: dict[str, str]  # argument -> the regular expression its values match
    localized: bool  # under i18n_patterns: one URL per language


def _walk(patterns, namespace="", prefix="", localized=False):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(
                entry.url_patterns,
                inner,
                route,
                localized or entry.pattern.__class__.__name__ == "LocalePrefixPattern",
            )
            continue
        assert isinstance(entry, URLPattern)
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            arguments = {name: conv.regex for name, conv in pattern.converters.items()}
        else:
            assert isinstance(pattern, RegexPattern)
            arguments = {
                name: _group_regex(pattern.regex.pattern, name) for name in pattern.regex.groupindex
            }
        yield (
            entry,
            Pattern(
                name=f"{namespace}{entry.name}" if entry.name else "",
                route=route,
                arguments=arguments,
                localized=localized,
            ),
        )


SLUG_REGEX = SlugConverter.regex


def _group_regex(regex: str, name: str) -> str:
    """The sub-pattern of the named group ``name`` (no nested parentheses in this URLconf)."""
    found = re.search(rf"\(\?P<{name}>([^()]*)\)", regex)
    assert found, f"cannot read group {name} of {regex}"
    return found.group(1)


def public_patterns() -> list[Pattern]:
    """Every URL pattern of the site outside the admin."""
    found = []
    for _entry, pattern in _walk(get_resolver().url_patterns):
        if pattern.route.startswith(django_settings.ADMIN_URL):
            continue
        assert pattern.name, f"URL pattern {pattern.route} has no name: name it to test it"
        found.append(pattern)
    return found


PUBLIC = public_patterns()


def test_the_urlconf_walk_finds_every_kind_of_public_page():
    names = {pattern.name for pattern in PUBLIC}
    assert {
        "directory:home",
        "directory:organization_list",
        "directory:organization_export",
        "directory:organization_detail",
        "directory:region_detail",
        "directory:activity_detail",
        "directory:person_list",
        "directory:person_export",
        "directory:person_detail",
        "publications:publication_list",
        "publications:publication_export",
        "publications:publication_detail",
        "directory:practice_detail",
        "directory:practice_list",
        "directory:practice_export",
        "sitemap",
        "robots",
        "set_language",
    } <= names
    detail = next(p for p in PUBLIC if p.name == "directory:organization_detail")
    assert detail.localized and set(detail.arguments) == {"slug"}
    export = next(p for p in PUBLIC if p.name == "directory:organization_export")
    assert export.arguments == {"format": "csv|json|xlsx"}


# Query strings, built as raw text.

PARAMETERS = [
    "q", "region", "activity", "kind", "status", "organization", "series", "year",
    "language", "topic", "sort", "page", "format", "next", "designation",
]  # fmt: skip
VALID = [
    "group", "network", "active", "closed", "published", "planned", "relevance", "name",
    "-updated", "founded", "year", "-year", "title", "1993", "1996", "ru", "en", "1", "2",
    "права", "Мемориал", "Moscow", "helsinki", "foreign_agent", "undesirable", "-1", "99999",
]  # fmt: skip
NASTY = [
    # symbols and punctuation only (issue 10)
    "№", "«»", "—", ";", "-", "...", "_", "😀", "👨‍👩‍👧", "§", "°", "•", "¯\\_(ツ)_/¯",
    # invisible and direction characters, combining marks
    "\u202e", "\u202eabc\u202c", "\u200f\u200e", "\ufeff", "\u200b", "\u0301", "a\u0301",
    # NUL and control characters
    "\x00", "a\x00b", "\x00\x00", "\x01\x1f\x7f", "\r\n", "\t",
    # FTS5
    '"', '""', '"a" NEAR(b c)', "a*", "^a", "col:term", "NOT", "AND OR", "(", ")", "{a b}",
    "+", "-a", '"unterminated',
    # tsquery
    "a & !b | c:*", "<->", "<2>", "!", ":*", "'", "''", "a:A*", "!!!",
    # regular expressions and LIKE
    ".*", "[", "[a-z]+", "(?i)", "\\", "\\\\", "$", "^", "|", "{1,}", "%", "%%", "_%", "a%b_c",
    # SQL and HTML
    "' OR 1=1 --", "1; DROP TABLE directory_organization", "<script>alert(1)</script>",
    "&amp;", "javascript:alert(1)",
    # numbers that are not page numbers or years
    "0", "-1", "99999999999999999999", "1e9", "NaN", "1.5", "٣", "½", "Ⅻ",
    # long
    "я" * 5000, "x" * 300, " " * 50, "a " * 200,
    # letters with folds and transliteration
    "Ё", "ёЁ", "ß", "İ", "ǅ", "ﬁ", "中文", "ქართული", "Ωμέγα",
]  # fmt: skip
# Fragments put into the query string as they are: invalid percent-encoding, separators.
RAW = ["%ff%fe", "%", "%%", "%zz", "%c3", "%e2%80", "%00", "+", "%2B", "&", "&&", "=", "==", ";"]


# Text with a NUL byte somewhere: PostgreSQL refuses it in any query, SQLite does not.
WITH_NUL = st.text(max_size=10).flatmap(
    lambda text: st.integers(0, len(text)).map(lambda at: text[:at] + "\x00" + text[at:])
)


def _encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def query_strings(draw, slugs: list[str]) -> str:
    """A raw query string: 0-6 parameters, names and values from the lists above or random."""
    # Known names and nasty values are drawn most often, so that every filter and the
    # search meet every kind of bad value within a bounded number of examples.
    nasty = st.sampled_from(NASTY)
    values = st.one_of(
        nasty,
        nasty,
        nasty,
        WITH_NUL,
        st.sampled_from(VALID),
        st.sampled_from(slugs),
        st.text(max_size=30),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8),
    )
    known = st.sampled_from(PARAMETERS)
    names = st.one_of(
        st.just("q"),  # the free text, which every list reads
        known,
        known,
        known,
        known,
        known.map(lambda name: name + "[]"),
        known.map(lambda name: name + "[0]"),
        st.sampled_from(NASTY),
        st.text(max_size=10),
    )
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        name = _encoded(draw(names))
        shape = draw(st.integers(min_value=0, max_value=11))
        if shape == 0:
            parts.append(name)  # a name without "="
        elif shape == 1:
            parts.append(name + "=" + draw(st.sampled_from(RAW)))
        elif shape == 2:
            # The same parameter repeated.
            parts.extend(f"{name}={_encoded(draw(values))}" for _ in range(draw(st.integers(2, 4))))
        else:
            value = _encoded(draw(values))
            if draw(st.booleans()) and value:
                # Raw fragments spliced into an encoded value.
                at = draw(st.integers(min_value=0, max_value=len(value)))
                value = value[:at] + draw(st.sampled_from(RAW)) + value[at:]
            parts.append(f"{name}={value}")
    return draw(st.sampled_from(["&", "&", "&", ";"])).join(parts)


# Requests.


def fetch(client, path: str, query: str = "") -> tuple[int, bytes]:
    """GET ``path?query`` in a savepoint; the status and the whole body (streams read)."""
    try:
        with transaction.atomic():
            response = client.get(path, QUERY_STRING=query)
            if response.streaming:
                body = b"".join(response.streaming_content)
            else:
                body = response.content
    except Exception as error:
        raise AssertionError(f"GET {path}?{query} raised {error!r}") from error
    return response.status_code, body


def assert_answered(status: int, body: bytes, path: str, query: str) -> None:
    assert status < 500, f"GET {path}?{query} answered {status}"
    assert b"Traceback" not in body, f"GET {path}?{query} shows a traceback"
    # A download that stopped midway ends with an error line (directory/exports.py).
    assert b"ERROR: the export stopped" not in body, f"GET {path}?{query} is an incomplete file"
    assert "выгрузка прервалась".encode() not in body, f"GET {path}?{query} is an incomplete file"


@pytest.fixture
def slugs(world):
    """The world's real slugs of every kind and the sitemap's section names.

    A pattern's slug argument (a detail page, a sitemap section) gets real and random ones.
    """
    return sorted(
        {
            *Organization.objects.values_list("slug", flat=True),
            *Person.objects.values_list("slug", flat=True),
            *Practice.objects.values_list("slug", flat=True),
            *Publication.objects.values_list("slug", flat=True),
            *Region.objects.values_list("slug", flat=True),
            *ActivityType.objects.values_list("slug", flat=True),
            *Series.objects.values_list("slug", flat=True),
            *SITEMAPS,
        }
    )


def _path(pattern: Pattern, language: str, arguments: dict[str, str]) -> str:
    with translation.override(language):
        return reverse(pattern.name, kwargs=arguments)


@pytest.mark.parametrize("pattern", PUBLIC, ids=lambda pattern: pattern.name)
@BAD_INPUT
@given(data=st.data())
def test_no_query_string_gives_a_server_error(client, slugs, pattern, data):
    language = data.draw(st.sampled_from(LANGUAGES)) if pattern.localized else LANGUAGES[0]
    arguments = {}
    for name, regex in pattern.arguments.items():
        strategy = st.from_regex(f"(?:{regex})", fullmatch=True)
        if regex == SLUG_REGEX:
            strategy = st.one_of(st.sampled_from(slugs), strategy)
        arguments[name] = data.draw(strategy, label=name)
    path = _path(pattern, language, arguments)
    query = data.draw(query_strings(slugs), label="query")
    status, body = fetch(client, path, query)
    assert_answered(status, body, path, query)


# Every pattern, every parameter, every kind of bad value: a fixed sweep beside the
# random one, so that a rare pair (one parameter, one kind of value) is never left to chance.

SWEEP_VALUES = [
    "%00", "a%00b", "%E2%84%96", "%E2%80%94", "...", "-", "_", "%ff%fe", "%F0%9F%98%80",
    "%E2%80%AEabc", "%22a%22+NEAR(b)", "a+%26+!b+:*", ".*%5B", "x" * 5000,
]  # fmt: skip
SWEEP_NAMES = [*PARAMETERS, *(name + "[]" for name in PARAMETERS)]


def _real_arguments(client, pattern: Pattern, slugs: list[str]) -> dict[str, str]:
    """Arguments for which ``pattern`` shows a real page (the first real slug that does)."""
    fixed = {}
    free = None
    for name, regex in pattern.arguments.items():
        if regex == SLUG_REGEX:
            free = name
        else:
            fixed[name] = re.split(r"\|", regex)[0]
    if free is None:
        return fixed
    for slug in slugs:
        arguments = {**fixed, free: slug}
        if client.get(_path(pattern, LANGUAGES[0], arguments)).status_code == 200:
            return arguments
    raise AssertionError(f"no published entry has a page at {pattern.route}: add one to the world")


@pytest.mark.parametrize("pattern", PUBLIC, ids=lambda pattern: pattern.name)
def test_every_parameter_with_every_kind_of_bad_value(client, slugs, pattern):
    arguments = _real_arguments(client, pattern, slugs)
    queries = ["&".join(f"{name}={value}" for name in SWEEP_NAMES) for value in SWEEP_VALUES] + [
        f"{name}=a%00b" for name in SWEEP_NAMES
    ]
    languages = LANGUAGES if pattern.localized else LANGUAGES[:1]
    for language in languages:
        path = _path(pattern, language, arguments)
        for query in queries:
            status, body = fetch(client, path, query)
            assert_answered(status, body, path, query)


# The admin, as a staff member.


def admin_changelists() -> list[str]:
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
        if model._meta.app_label in ("directory", "publications")
    ]


@pytest.fixture
def staff_client(client, slugs):
    client.force_login(staff_user("boss", superuser=True))
    return client


def _admin_names(model_admin) -> list[str]:
    """The parameters a changelist reads: its own, and the lookups its filters make."""
    names = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"]
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names += [entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"]
        else:
            names.append(getattr(entry, "parameter_name", None) or entry.__name__)
    return names


@pytest.mark.parametrize("name", admin_changelists())
@BAD_INPUT
@given(data=st.data())
def test_no_admin_search_or_filter_gives_a_server_error(staff_client, slugs, name, data):
    path = reverse(name)
    model = next(m for m in admin.site._registry if path.endswith(f"/{m._meta.model_name}/"))
    names = _admin_names(admin.site._registry[model])
    search = data.draw(st.one_of(st.sampled_from(NASTY), WITH_NUL, st.text()), label="q")
    query = "q=" + _encoded(search)
    extra = data.draw(query_strings(slugs), label="query")
    lookup = data.draw(st.sampled_from(names), label="lookup")
    value = data.draw(st.one_of(st.sampled_from(NASTY), WITH_NUL), label="value")
    query = "&".join([query, extra, f"{lookup}={_encoded(value)}"])
    status, body = fetch(staff_client, path, query)
    assert_answered(status, body, path, query)


@pytest.mark.parametrize("name", admin_changelists())
def test_every_admin_filter_and_search_with_every_kind_of_bad_value(staff_client, name):
    path = reverse(name)
    model = next(m for m in admin.site._registry if path.endswith(f"/{m._meta.model_name}/"))
    queries = [f"{lookup}=a%00b" for lookup in _admin_names(admin.site._registry[model])]
    queries += [f"q={value}" for value in SWEEP_VALUES]
    for query in queries:
        status, body = fetch(staff_client, path, query)
        assert_answered(status, body, path, query)


@BAD_INPUT
@given(data=st.data())
def test_no_admin_autocomplete_term_gives_a_server_error(staff_client, slugs, data):
    path = reverse("admin:autocomplete")
    term = data.draw(st.one_of(st.sampled_from(NASTY), WITH_NUL, st.text()), label="term")
    source, field = data.draw(
        st.sampled_from(
            [
                ("directory/organization", "parent"),
                ("directory/organization", "region"),
                ("directory/organization", "activities"),
                ("directory/affiliation", "person"),
                ("directory/organization", "sources"),
                ("publications/publication", "sources"),
                ("directory/organizationevent", "country"),
                ("directory/organizationevent", "sources"),
            ]
        )
    )
    app_label, model_name = source.split("/")
    query = (
        f"term={_encoded(term)}&app_label={app_label}&model_name={model_name}"
        f"&field_name={field}&" + data.draw(query_strings(slugs), label="query")
    )
    status, body = fetch(staff_client, path, query)
    assert_answered(status, body, path, query)


# The inputs of issue 10, as fixed regression tests.

ISSUE_QUERIES = [
    ("q=%E2%84%96", "№"),
    ("q=%C2%AB%C2%BB", "«»"),
    ("q=%E2%80%94", "—"),
    ("q=;", ";"),
    ("q=-", "-"),
    ("q=...", "..."),
    ("q=_", "_"),
    ("q=%F0%9F%98%80", "😀"),
    ("q=%ff%fe", "\ufffd\ufffd"),
]
NO_WORDS = {
    "en": "“{q}” has no letters or digits to search for: showing everything.",
    "ru": "В «{q}» нет букв или цифр, по которым можно искать: показано всё.",
}
# Each list's name and its summary line ("1 person found", "Найдено людей: 1").
LISTS = {
    "organizations": (
        "directory:organization_list",
        {"en": ("organization found", "organizations found"), "ru": ("Найдено организаций",)},
    ),
    "people": (
        "directory:person_list",
        {"en": ("person found", "people found"), "ru": ("Найдено людей",)},
    ),
    "publications": (
        "publications:publication_list",
        {"en": ("publication found", "publications found"), "ru": ("Найдено публикаций",)},
    ),
    "practices": (
        "directory:practice_list",
        {"en": ("practice found", "practices found"), "ru": ("Найдено практик",)},
    ),
}
EXPORTS = [
    "directory:organization_export",
    "directory:person_export",
    "publications:publication_export",
    "directory:practice_export",
]


def _list_url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", LISTS)
def test_a_search_without_words_shows_everything_with_a_note(client, world, language, kind):
    name, found = LISTS[kind]
    everything = client.get(_list_url(name, language))
    for query, q in ISSUE_QUERIES:
        response = client.get(_list_url(name, language), QUERY_STRING=query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert NO_WORDS[language].format(q=q) in html, query
        assert any(summary in html for summary in found[language]), query
        # The same rows as with no search at all, sorted as without one.
        assert list(response.context["object_list"]) == list(everything.context["object_list"]), (
            query
        )
        assert response.context["result"].sort != "relevance", query


@pytest.mark.parametrize("language", LANGUAGES)
def test_people_filtered_by_an_organization_of_nul_is_the_whole_list(client, world, language):
    response = client.get(
        _list_url("directory:person_list", language), QUERY_STRING="organization=%00"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert any(summary in html for summary in LISTS["people"][1][language])
    assert world.person.name_en in html or world.person.name_ru in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", EXPORTS)
def test_exports_of_the_issue_queries_are_complete_files(client, world, language, name):
    queries = [query for query, _q in ISSUE_QUERIES] + ["organization=%00", "q=%00"]
    for fmt in ("csv", "json"):
        with translation.override(language):
            url = reverse(name, kwargs={"format": fmt})
        everything = b"".join(client.get(url).streaming_content)
        for query in queries:
            response = client.get(url, QUERY_STRING=query)
            assert response.status_code == 200, query
            body = b"".join(response.streaming_content)
            # Every published row, as with no search at all.
            assert body == everything, query
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                assert len(rows) == 1 + int(response["X-Total-Count"]) > 1, query
            else:
                assert len(json.loads(body)) == int(response["X-Total-Count"]) > 0, query


# A query of the admin's organization list, and the parameter it warns about.
ADMIN_QUERIES = [
    ("q=%00", "q"),
    ("q=a%00b", "q"),
    ("kind=%00", "kind"),
    ("kind__exact=%00", "kind__exact"),
    ("status__exact=%00&q=Moscow", "status__exact"),
    ("q=%E2%84%96", ""),
    ("q=%ff%fe", ""),
]
NUL_WARNING = {
    "en": "“{name}” was ignored: it contained a NUL character.",
    "ru": "Параметр «{name}» не учтён: в нём был нулевой символ (NUL).",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query, name", ADMIN_QUERIES)
def test_admin_list_with_nul_in_its_filters_warns_and_lists(client, world, query, name, language):
    client.force_login(staff_user("boss", superuser=True))
    response = client.get(
        reverse("admin:directory_organization_changelist"),
        QUERY_STRING=query,
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="changelist"' in html
    if name:
        assert NUL_WARNING[language].format(name=name) in html
    else:
        assert 'class="warning"' not in html


@pytest.mark.parametrize(
    "path",
    [
        "/{admin}directory/organization/%00/history/",
        "/{admin}directory/organization/abc/history/",
        "/{admin}directory/organization/{pk}/history/%00/",
        "/{admin}directory/organization/{pk}/history/abc/",
        "/{admin}publications/publication/%00/history/",
    ],
)
def test_admin_history_of_an_id_that_is_no_id_is_not_found(client, world, path):
    client.force_login(staff_user("boss", superuser=True))
    url = path.format(admin=django_settings.ADMIN_URL, pk=world.org.pk)
    assert client.get(url).status_code == 404


def test_admin_autocomplete_with_nul_in_its_term_answers(client, world):
    client.force_login(staff_user("boss", superuser=True))
    response = client.get(
        reverse("admin:autocomplete"),
        QUERY_STRING="term=Moscow%00&app_label=directory&model_name=organization&field_name=parent",
    )
    assert response.status_code == 200
    assert {"id": str(world.org.pk), "text": str(world.org)} in response.json()["results"]

"""A download's file name says what was filtered, and two different downloads never share one.

``rightsnet-organizations-ru-siberia-monitoring-2026-11-30.csv``: the list, the
language, the chosen values as ASCII slugs in the facets' order (each facet's values
sorted, so their order in the address does not matter; a value of digits only after its
parameter's name, ``year-1995``, so that it is not read as part of the date; a facet's
mode likewise, ``activity_mode-all``; a search after ``search``, transliterated by
``rightsnet.text.slug_from``, ``search-perm``; a sort after ``sort``), then the day.

Codes and slugs spell the filters exactly, so such a name is already unique. A short
hash of the whole cleaned query is added where the words could coincide: when a search
is in them (a transliteration loses case, letters and punctuation: "Пермь" and
"Perm'" read the same) or a value's slug differs from it, and when the words were cut
to keep the name under ``MAX_STEM`` characters. Names are made of the cleaned
parameters (``FilterSet``), so a value the list dropped never reaches a name, and of
``[a-z0-9_-]`` only: safe in ``Content-Disposition`` as it is.
"""

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from rightsnet.text import slug_from

from .facets import Facet, TextFacet

# Characters of a name before its extension, at most.
MAX_STEM = 100
# Hex digits of the hash of the query (32 bits: a collision among one list's downloads
# of one day is a one-in-four-thousand-million chance per pair).
HASH_LENGTH = 8
SEARCH_SLUG_LENGTH = 40
_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def canonical_query(params: dict[str, list[str]]) -> str:
    """Cleaned ``params`` as one query string, names and each name's values sorted:
    the same filters give the same text whatever their order in the address."""
    return urlencode([(name, value) for name in sorted(params) for value in sorted(params[name])])


def query_hash(params: dict[str, list[str]]) -> str:
    return hashlib.sha256(canonical_query(params).encode()).hexdigest()[:HASH_LENGTH]


def _slug(text: str, length: int = MAX_STEM) -> str:
    return _UNSAFE.sub("-", slug_from(text, length)).strip("-")


def readable_parts(facets: Iterable[Facet], params: dict[str, list[str]]) -> tuple[list[str], bool]:
    """The chosen values as slugs, in the facets' order, then the sort (see the module's
    doc), and whether they spell the query exactly."""
    parts, exact = [], True
    for facet in facets:
        for name in facet.param_names:
            for value in sorted(params.get(name, [])):
                if isinstance(facet, TextFacet):
                    slug = _slug(f"search {value}", SEARCH_SLUG_LENGTH)
                    exact = False
                elif name != facet.name or _DIGITS.fullmatch(value):
                    slug = _slug(f"{name} {value}")
                    exact = exact and slug == f"{name}-{value}".lower()
                else:
                    slug = _slug(value)
                    exact = exact and slug == value.lower()
                if slug:
                    parts.append(slug)
    for value in params.get("sort", []):
        slug = _slug(f"sort {value}")
        exact = exact and slug == f"sort-{value}".lower().replace("--", "-")
        parts.append(slug)
    return parts, exact


@dataclass(frozen=True)
class Filters:
    """What was filtered, for a file name: the readable ``parts``, the query's ``digest``
    and whether the parts spell the query ``exact``ly (then the digest is left out)."""

    parts: tuple[str, ...] = ()
    digest: str = ""
    exact: bool = False


def describe(facets: Iterable[Facet], params: dict[str, list[str]]) -> Filters:
    """The file-name words of cleaned ``params`` (nothing when nothing is filtered)."""
    if not params:
        return Filters()
    parts, exact = readable_parts(facets, params)
    return Filters(tuple(parts), query_hash(params), exact)


def file_name(list_name: str, language: str, filters: Filters, day: datetime.date, fmt: str) -> str:
    """``rightsnet-{list}-{language}[-{filters}]-{day}[-{hash}].{fmt}``, at most
    ``MAX_STEM`` characters before the extension: the filters are cut at a whole value
    (or within the first, when it alone is too long), and then the hash is added."""
    head = "-".join(_slug(part) for part in ("rightsnet", list_name, language))
    whole = "-".join(filters.parts)
    room = MAX_STEM - len(head) - len(day.isoformat()) - 2  # the two dashes around the words
    if filters.exact and len(whole) <= room:
        stem = "-".join(part for part in (head, whole, day.isoformat()) if part)
        return f"{stem}.{_UNSAFE.sub('', fmt.lower())}"
    tail = "-".join(part for part in (day.isoformat(), filters.digest) if part)
    room = MAX_STEM - len(head) - len(tail) - 2
    words = ""
    for part in filters.parts:
        candidate = f"{words}-{part}" if words else part
        if len(candidate) > room:
            if not words:
                words = part[: max(room, 0)].strip("-")
            break
        words = candidate
    stem = "-".join(part for part in (head, words, tail) if part)
    return f"{stem}.{_UNSAFE.sub('', fmt.lower())}"

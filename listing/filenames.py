"""A download's file name says what was filtered, and two different downloads never share one.

``rightsnet-organizations-ru-siberia-monitoring-2026-11-30-1f0c9a2b.csv``: the list,
the language, the chosen values as ASCII slugs in the facets' order (each facet's
values sorted, so their order in the address does not matter; a search transliterated
by ``rightsnet.text.slug_from``; a value of digits only after its parameter's name,
``year-1995``, so that it is not read as part of the date; a facet's mode likewise,
``activity_mode-all``), the day, then a short hash of the whole cleaned query.

The hash is there whenever anything is filtered or sorted: slugs alone can coincide (a
search for "Siberia monitoring" and the region and type of work it names both read
``siberia-monitoring``; the sort is not in the words), and the readable part is cut to
keep the name under ``MAX_STEM`` characters. The unfiltered list has no hash. Names are
made of the cleaned parameters (``FilterSet``), so a value the list dropped never
reaches a name, and of ``[a-z0-9_-]`` only: safe in ``Content-Disposition`` as it is.
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


def readable_parts(facets: Iterable[Facet], params: dict[str, list[str]]) -> list[str]:
    """The chosen values as slugs, in the facets' order (see the module's doc)."""
    parts = []
    for facet in facets:
        for name in facet.param_names:
            for value in sorted(params.get(name, [])):
                if isinstance(facet, TextFacet):
                    slug = _slug(value, SEARCH_SLUG_LENGTH)
                elif name != facet.name or _DIGITS.fullmatch(value):
                    slug = _slug(f"{name} {value}")
                else:
                    slug = _slug(value)
                if slug:
                    parts.append(slug)
    return parts


@dataclass(frozen=True)
class Filters:
    """What was filtered, for a file name: the readable ``parts`` and the query's ``digest``."""

    parts: tuple[str, ...] = ()
    digest: str = ""


def describe(facets: Iterable[Facet], params: dict[str, list[str]]) -> Filters:
    """The file-name words of cleaned ``params`` (nothing when nothing is filtered)."""
    if not params:
        return Filters()
    return Filters(tuple(readable_parts(facets, params)), query_hash(params))


def file_name(list_name: str, language: str, filters: Filters, day: datetime.date, fmt: str) -> str:
    """``rightsnet-{list}-{language}[-{filters}]-{day}[-{hash}].{fmt}``, at most
    ``MAX_STEM`` characters before the extension: the filters are cut at a whole value
    (or within the first, when it alone is too long)."""
    head = "-".join(_slug(part) for part in ("rightsnet", list_name, language))
    tail = "-".join(part for part in (day.isoformat(), filters.digest) if part)
    room = MAX_STEM - len(head) - len(tail) - 2  # the two dashes around the filters
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

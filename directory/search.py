"""Full-text matching shared by organizations, people and publications.

Each searchable model stores ``search_text`` (see ``rightsnet.text.search_document``):
its words lower-cased with ё as е, then the same words transliterated to Latin and
folded so that variant romanisations coincide. A query is cut into words; each word
is stemmed (Russian Snowball for Cyrillic, English for Latin), normalised the same
way as the stored text, and matched as a substring, so the match is the same on
SQLite and PostgreSQL: case-insensitive for Cyrillic, ``ё`` = ``е``, ``Memorial``
finds ``Мемориал``, ``правозащитных`` finds ``правозащитная``. Every word must match.

Ranking by relevance is portable and the same on both databases, so a list and its
export sort alike everywhere:

1. a name matched: the query *is* one of the row's names (name, short name, former
   name, other name, in either language), then the query is a run of whole words of
   one ("moscow helsinki", "Хельсинкская"), then neither. Both sides are compared as
   ``rightsnet.text.name_key`` (words folded to Latin), so case, ё, punctuation, quotes,
   hyphens, the script and variant romanisations do not count: ``МХГ`` is ``MHG``,
   ``Moskovskaya Khelsinkskaya gruppa`` is ``Московская Хельсинкская группа``. The
   names lead ``search_text`` in a form of their own (``rightsnet.text.name_patterns``),
   so a row whose names do not hold the query costs one ``instr``/``strpos``;
2. real entries before demo entries (``is_demo``): at the same name match, a
   generated entry is never what a reader looks for before a real one;
3. the rows where more query words start a word of the text;
4. those where the first word appears earliest (names come first, descriptions last).

PostgreSQL's ``SearchRank`` was measured and dropped: it builds ``to_tsvector`` of every
matching row at query time and cost more than the whole page budget at 20,000
organizations.
"""

from dataclasses import dataclass
from functools import cache

import snowballstemmer
from django.db.models import Case, Expression, F, IntegerField, Q, Value, When
from django.db.models.expressions import OrderBy, RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact, GreaterThan

from rightsnet.text import fold_latin, has_cyrillic, name_key, name_patterns, normalize, words

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MIN_STEM_LENGTH = 3


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _stem(word: str, language: str) -> str:
    """The stem as a prefix of the word (Snowball may rewrite a final letter)."""
    stem = _common_prefix(_stemmer(language).stemWord(word), word)
    return stem if len(stem) >= MIN_STEM_LENGTH else word


@dataclass(frozen=True)
class Term:
    """One query word: the substrings any one of which makes it match."""

    word: str
    variants: tuple[str, ...]


def clean_query(q: str) -> str:
    """The query without NUL bytes and surplus space (not truncated)."""
    return " ".join((q or "").replace("\x00", " ").split())


def terms(q: str) -> list[Term]:
    """The words of ``q`` as match terms, at most ``MAX_WORDS``, duplicates dropped."""
    result: list[Term] = []
    seen: set[str] = set()
    for word in words(q)[:MAX_WORDS]:
        if word in seen:
            continue
        seen.add(word)
        if has_cyrillic(word):
            stem = _stem(word, "russian")
            variants = [normalize(stem), fold_latin(stem)]
        else:
            folded = fold_latin(word)
            variants = [_stem(folded, "english")]
        unique = tuple(dict.fromkeys(v for v in variants if v))
        if unique:
            result.append(Term(word=word, variants=unique))
    return result


def text_filter(q: str, field: str = "search_text", *, fts_table: str | None = None) -> Q:
    """A ``Q`` that every word of ``q`` matches ``field`` (empty ``Q`` for no words).

    With ``fts_table`` (SQLite, see ``directory/search_index.py``) the words are
    asked of the FTS5 trigram index in one query: a quoted phrase of trigrams is a
    substring match, the same as ``LIKE '%word%'``, answered from the index alone.
    """
    found = terms(q)
    if fts_table and found and all(len(v) >= 3 for t in found for v in t.variants):
        # Variants are letters and digits only: nothing to escape in a phrase.
        expression = " AND ".join(
            "(" + " OR ".join(f'"{variant}"' for variant in term.variants) + ")" for term in found
        )
        sql = f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s"
        return Q(pk__in=RawSQL(sql, [expression]))
    condition = Q()
    for term in found:
        any_variant = Q()
        for variant in term.variants:
            any_variant |= Q(**{f"{field}__contains": variant})
        condition &= any_variant
    return condition


def query_key(q: str) -> str:
    """The ``name_key`` of the words of ``q`` that a search reads (``MAX_WORDS``)."""
    return name_key(" ".join(words(q)[:MAX_WORDS]))


def name_match(q: str, field: str = "search_text") -> Expression:
    """2 when ``q`` is one of the row's names, 1 when it is a run of whole words of one,
    else 0 (see ``rightsnet.text.search_document`` for the names segment)."""
    key = query_key(q)
    if not key:
        return Value(0)
    exact, part = name_patterns(key)
    # Most rows do not hold the run of words: one scan tells them (``exact`` holds ``part``).
    return Case(
        When(Exact(StrIndex(field, Value(part)), 0), then=0),
        When(GreaterThan(StrIndex(field, Value(exact)), 0), then=2),
        default=1,
        output_field=IntegerField(),
    )


def relevance_order(q: str, field: str = "search_text", demo: str = "is_demo") -> list[OrderBy]:
    """The relevance sort of ``q``: ``ORDER BY`` terms, none when ``q`` has no words.

    The name match, real rows before demo rows (``demo``: the flag's field), how many
    query words start a word of the text, then where the first query word first
    appears. A query without words ranks nothing: a constant would be written
    ``ORDER BY 0``, which PostgreSQL reads as a column position and refuses.
    """
    found = terms(q)
    if not found:
        return []
    score: Expression = Value(0)
    for term in found:
        starts = Q()
        for variant in term.variants:
            starts |= Q(**{f"{field}__contains": f" {variant}"})
        score = score + Case(When(starts, then=Value(1)), default=Value(0))
    whens = [
        When(**{f"{field}__contains": variant}, then=StrIndex(field, Value(variant)))
        for variant in found[0].variants
    ]
    position = Case(*whens, default=Value(0), output_field=IntegerField())
    return [name_match(q, field).desc(), F(demo).asc(), score.desc(), position.asc()]

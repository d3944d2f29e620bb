"""Text helpers shared by both apps: slugs and search normalisation.

Search works the same on SQLite and PostgreSQL because both sides of a match
are folded in Python: lower case, ё as е, and a Latin transliteration of any
Cyrillic so that ``Memorial`` finds ``Мемориал``.

The stored search text (``search_document``) starts with the names of its row, each
between ``NAME_OPEN`` and ``NAME_CLOSE`` with its words two spaces apart (one space
everywhere else); then the rest (city, description ...). Each name is there as its words
and as its ``name_key`` (the words folded to Latin), so that the relevance order
(``directory.search``) can ask whether a query *is* a name, or a run of whole words of
one, with one substring test (``name_patterns``).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.utils.text import slugify
from django.utils.translation import get_language
from unidecode import unidecode

SLUG_MAX_LENGTH = 80

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")

# Common romanisations of the same Russian letter folded to one spelling, applied
# in order to both the transliterated content and a Latin query.
_LATIN_FOLDS = (
    ("shch", "sc"),
    ("sch", "sc"),
    ("kh", "h"),
    ("tz", "c"),
    ("ts", "c"),
    ("zh", "j"),
    ("ja", "ya"),
    ("ju", "yu"),
    ("jo", "yo"),
    ("ia", "ya"),
    ("iu", "yu"),
    ("ii", "i"),
    ("iy", "i"),
    ("yy", "y"),
    ("x", "ks"),
    ("w", "v"),
)


def transliterate(text: str) -> str:
    """Latin letters for any Cyrillic in ``text`` (Unidecode's tables)."""
    return unidecode(text)


def slug_from(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """A readable ASCII slug, transliterating Cyrillic first."""
    slug = slugify(transliterate(text or ""))
    return slug[:max_length].strip("-")


def normalize(text: str) -> str:
    """Lower case with ё folded to е and runs of space collapsed."""
    text = (text or "").replace("\x00", " ").lower().replace("ё", "е")
    return " ".join(text.split())


def fold_latin(text: str) -> str:
    """A Latin spelling in which common variant romanisations coincide."""
    return " ".join(_fold_word(word) for word in normalize(text).split(" "))


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    # Folds never span a space, so a word at a time gives the same text; the cache
    # spares Unidecode's per-character work for words that recur across rows.
    word = transliterate(word).lower()
    word = re.sub(r"['\"`]", "", word)
    for old, new in _LATIN_FOLDS:
        word = word.replace(old, new)
    return word


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC_RE.search(text or ""))


def words(text: str) -> list[str]:
    return _WORD_RE.findall(normalize(text))


def name_key(text: str) -> str:
    """A name as the relevance order compares it: its words folded to Latin, one space
    apart (case, ё, punctuation, quotes, hyphens and romanisation variants ignored).

    ``Московская Хельсинкская группа`` and ``Moskovskaya Khelsinkskaya gruppa`` give
    ``moskovskaya helsinkskaya gruppa``; ``МХГ`` and ``MHG`` give ``mhg``. Only ASCII
    letters, digits and spaces."""
    return " ".join(_WORD_RE.findall(fold_latin(" ".join(words(text)))))


# Marks of the names segment of the search text; never in a name's words, and taken
# out of the other parts. The words of a name are two spaces apart, and only there:
# normalised text has single spaces.
NAME_OPEN, NAME_CLOSE = "‹", "›"
_GAP = "  "
_MARKS = str.maketrans(dict.fromkeys(NAME_OPEN + NAME_CLOSE, " "))


def _spaced(text: str) -> str:
    return _GAP + _GAP.join(text.split()) + _GAP


def name_patterns(key: str) -> tuple[str, str]:
    """The substrings of a search text that say ``key`` (a ``name_key``) is one of its
    row's names, and that it is a run of whole words of one (the first holds the second)."""
    part = _spaced(key)
    return f"{NAME_OPEN}{part}{NAME_CLOSE}", part


def search_document(*parts: str, names: Iterable[str] = ()) -> str:
    """The stored search text: the names segment, then the normalised words of ``parts``
    plus their folded Latin form.

    The segment holds each name's words (lower case, ё as е), then the ``name_key`` of
    those that differ, each as ``‹  word  word  ›``: `` ‹  московская  хельсинкская
    группа  › ‹  moscow  helsinki  group  › ‹  мхг  › ‹  mhg  › ‹  moskovskaya
    helsinkskaya  gruppa  › ‹  moscov  helsinki  group  › москва moscow ... | moskva
    moscov ... ``. Every word has a space before it, as the rest's words have.
    """
    forms: dict[str, None] = {}
    keys: dict[str, None] = {}
    for name in names:
        if plain := " ".join(words(name)):
            forms[plain] = None
            keys[name_key(name)] = None
    forms.update(keys)
    forms.pop("", None)
    head = "".join(f" {NAME_OPEN}{_spaced(form)}{NAME_CLOSE}" for form in forms)
    normalised = (normalize(part.translate(_MARKS)) for part in parts if part)
    plain = " ".join(part for part in normalised if part)
    # A word may fold to nothing, or to two: keep single spaces.
    folded = " ".join(fold_latin(plain).split())
    rest = plain if folded == plain else f"{plain} | {folded}"
    return f"{head} {rest} "


# Collation of labels (facet options): letters and digits compared without case,
# accents or punctuation, «ё» as «е» (but «й» stays a letter of its own), then case
# and «ё» break ties. On Russian pages Cyrillic sorts before Latin (CLDR's Russian
# order); elsewhere Latin first. Digits before letters.
_LATIN_AFTER = 0x10000  # Latin letters moved past Cyrillic ones (code point order)


@lru_cache(maxsize=4096)
def _collation_char(ch: str, cyrillic_first: bool) -> str:
    if ch in "ёЁ":
        return "е"
    if _CYRILLIC_RE.match(ch):
        return ch.lower()
    if not ch.isalnum():
        return " " if ch.isspace() else ""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.lower()
    if cyrillic_first and base.isalpha():
        return "".join(chr(_LATIN_AFTER + ord(c)) for c in base)
    return base


def collation_key(label, language: str | None = None) -> tuple[str, str, str]:
    """The sort key of ``label`` in ``language`` (default: the active one), in the
    Russian manner: «Елань», «Ёлкино», «Жуков»; ``sorted(labels, key=collation_key)``."""
    if language is None:
        language = get_language() or ""
    return _collation_key(str(label), language.startswith("ru"))


# The labels of facets and trees are few and the same on every request: their keys are kept.
@lru_cache(maxsize=8192)
def _collation_key(text: str, cyrillic_first: bool) -> tuple[str, str, str]:
    primary = " ".join("".join(_collation_char(ch, cyrillic_first) for ch in text).split())
    return primary, text.casefold().replace("ё", "е\uffff"), text

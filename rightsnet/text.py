"""Text helpers shared by both apps: slugs and search normalisation.

Search works the same on SQLite and PostgreSQL because both sides of a match
are folded in Python: lower case, ё as е, and a Latin transliteration of any
Cyrillic so that ``Memorial`` finds ``Мемориал``.
"""

import re
from functools import lru_cache

from django.utils.text import slugify
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


def search_document(*parts: str) -> str:
    """The stored search text: normalised words plus their folded Latin form."""
    plain = " ".join(normalize(part) for part in parts if part)
    folded = fold_latin(plain)
    if folded == plain:
        return f" {plain} "
    return f" {plain} | {folded} "

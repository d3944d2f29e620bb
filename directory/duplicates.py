"""Likely duplicates: another organization with a very similar name in the same city.

Names and cities are compared after ``rightsnet.text.fold_latin`` (lower case,
ё = е, Cyrillic transliterated, common romanisations folded), so "Мемориал"
and "Memorial" are the same name. Two names are "very similar" when
``difflib.SequenceMatcher`` gives a ratio of at least ``SIMILARITY_THRESHOLD``
(0.85) for any pair of their Russian and English spellings: one or two letters
apart in a name of ten, not "Memorial Perm" against "Memorial Kazan".
"""

from difflib import SequenceMatcher

from rightsnet.text import fold_latin

from .models import Organization

SIMILARITY_THRESHOLD = 0.85


def _variants(*texts: str | None) -> set[str]:
    return {fold_latin(text) for text in texts if text and text.strip()}


def name_similarity(left: set[str], right: set[str]) -> float:
    best = 0.0
    for a in left:
        for b in right:
            best = max(best, SequenceMatcher(None, a, b).ratio())
    return best


def likely_duplicates(organization: Organization, *, limit: int = 5) -> list[Organization]:
    """Other organizations in the same city whose name is the same or very similar."""
    cities = _variants(organization.city_ru, organization.city_en)
    names = _variants(organization.name_ru, organization.name_en)
    if not cities or not names:
        return []
    candidates = (
        Organization.objects.exclude(pk=organization.pk)
        .exclude(city_ru="", city_en="")
        .values_list("pk", "name_ru", "name_en", "city_ru", "city_en")
    )
    found = []
    for pk, name_ru, name_en, city_ru, city_en in candidates.iterator(chunk_size=2000):
        if not cities & _variants(city_ru, city_en):
            continue
        score = name_similarity(names, _variants(name_ru, name_en))
        if score >= SIMILARITY_THRESHOLD:
            found.append((score, pk))
    found.sort(reverse=True)
    by_pk = Organization.objects.in_bulk([pk for _score, pk in found[:limit]])
    return [by_pk[pk] for _score, pk in found[:limit] if pk in by_pk]

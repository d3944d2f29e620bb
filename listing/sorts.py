"""Sorts as declarations: a key in the URL, a label in the menu, the ORDER BY."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, F, Func
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from rightsnet.i18n import other_language

from .facets import truncate


@dataclass(frozen=True)
class Sort:
    """``order(language)``: the ORDER BY expressions. ``relevance``: ranked by the text
    search first, offered only with one. ``indexed``: an index of the published rows
    gives this order, so the order of every row costs one scan (see ``readers``)."""

    key: str
    label: str
    order: Callable[[str], list]
    relevance: bool = False
    indexed: bool = False


def translated_order(field: str, language: str):
    """Order by ``field`` in ``language``, falling back to the other language.

    The literals are written into the SQL rather than passed as parameters so that
    the expression matches the name indexes of migration 0005 exactly.
    """
    current = Func(F(f"{field}_{language}"), template="NULLIF(%(expressions)s, '')")
    other = F(f"{field}_{other_language(language)}")
    name = Coalesce(current, other, F(field), output_field=CharField())
    # Ё sorts with Е, not before А as its code point would have it.
    return Func(name, template="REPLACE(REPLACE(%(expressions)s, 'Ё', 'Е'), 'ё', 'е')")


def by_name(field: str) -> Callable[[str], list]:
    """The ORDER BY of a name in the list's language, ties by id."""
    return lambda language: [translated_order(field, language).asc(), F("pk").asc()]


def choose_sort(sorts: list[Sort], params, *, q: str, default: str, notes: list, without_q_note):
    """The sort asked for in the cleaned ``params`` if offered, else the default (relevance
    with a search) with a note; and the sorts offered, as ``(key, label)``."""
    offered = [sort for sort in sorts if q or not sort.relevance]
    by_key = {sort.key: sort for sort in offered}
    chosen = next((s.key for s in offered if s.relevance), default) if q else default
    requested = params.get("sort", [""])[0]
    if requested and requested not in by_key:
        params.pop("sort")
        if any(s.key == requested and s.relevance for s in sorts):
            notes.append(str(without_q_note))
        else:
            notes.append(
                gettext("Unknown sort order “%(sort)s” ignored.") % {"sort": truncate(requested)}
            )
    elif requested:
        chosen = requested
    return by_key[chosen], [(sort.key, str(sort.label)) for sort in offered]

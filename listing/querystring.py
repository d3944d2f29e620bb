"""Links that change one query parameter and keep every other one.

Every filter, facet, chip, sort and page link on the list pages is built here, so
that a link never drops a filter the user chose. Parameters are an ordered
mapping of name to list of values (a ``QueryDict`` works too); each function
returns a query string that starts with ``?`` and can be used as an ``href``
relative to the current page. Changing a filter drops ``page``: the old page
number means nothing in the new result.
"""

from collections.abc import Iterable, Mapping
from functools import lru_cache
from urllib.parse import quote_plus

PAGE = "page"
TEXT = "q"  # the text search of every list

Params = Mapping[str, list[str]]


def as_lists(params) -> dict[str, list[str]]:
    """A plain ``{name: [values]}`` copy of a QueryDict or mapping."""
    if hasattr(params, "lists"):
        return {key: list(values) for key, values in params.lists()}
    return {
        key: list(value) if isinstance(value, list | tuple) else [value]
        for key, value in params.items()
    }


@lru_cache(maxsize=4096)
def _quote(text: str) -> str:
    # Letters beyond ASCII stay as they are (browsers encode them when they follow
    # the link): "?q=мемориал" is a third of the size of its percent-encoded form.
    return "".join(ch if ord(ch) > 127 and ch.isalnum() else quote_plus(ch) for ch in text)


def encode(params: Params) -> str:
    """``?a=1&b=2`` (or ``?`` when empty) with keys in their original order."""
    pairs = [
        f"{_quote(key)}={_quote(value)}"
        for key, values in params.items()
        for value in values
        if value != ""
    ]
    return "?" + "&".join(pairs)


def _copy(params: Params, keep_page: bool) -> dict[str, list[str]]:
    return {key: list(values) for key, values in params.items() if keep_page or key != PAGE}


def replace(params: Params, key: str, value, *, keep_page: bool = False) -> str:
    """Set ``key`` to the one ``value`` (``None`` removes it)."""
    new = _copy(params, keep_page or key == PAGE)
    if value is None or value == "":
        new.pop(key, None)
    else:
        new[key] = [str(value)]
    return encode(new)


def toggle(params: Params, key: str, value) -> str:
    """Add ``value`` to a repeatable ``key`` or remove it if it is there."""
    value = str(value)
    new = _copy(params, keep_page=False)
    values = new.get(key, [])
    if value in values:
        values = [v for v in values if v != value]
    else:
        values = [*values, value]
    if values:
        new[key] = values
    else:
        new.pop(key, None)
    return encode(new)


def remove(params: Params, key: str, value=None) -> str:
    """Drop one value of ``key``, or every value when ``value`` is None."""
    new = _copy(params, keep_page=False)
    if value is None:
        new.pop(key, None)
    else:
        remaining = [v for v in new.get(key, []) if v != str(value)]
        if remaining:
            new[key] = remaining
        else:
            new.pop(key, None)
    return encode(new)


def only(params: Params, keys: Iterable[str]) -> dict[str, list[str]]:
    """The subset of ``params`` named in ``keys``, in their original order."""
    wanted = set(keys)
    return {key: list(values) for key, values in params.items() if key in wanted}

"""Moved to the ``listing`` package; kept only for ``directory/exports.py`` until the
export moves to ``listing/exports.py``."""

from listing.results import SearchResult  # noqa: F401

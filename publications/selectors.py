"""Reads behind the publications list: ``publication_search(*, params, language)``
follows the contract of ``directory.selectors.organization_search`` (see
``publications/listings.py`` for what its ``queryset`` carries)."""

from .listings import PUBLICATIONS


def publication_search(*, params, language: str | None = None):
    """Published publications matching ``params``; see the module docstring."""
    return PUBLICATIONS.search(params, language)

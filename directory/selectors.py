"""Reads behind the organization and people lists: search, filters, facets.

The export (issue 4) runs the same searches as the list pages (the listings of
``directory/listings.py``), so a list and its
download can never disagree. Contract of ``organization_search`` and
``person_search``:

- keyword-only ``params`` (``request.GET`` or any ``{name: [values]}`` mapping; bad
  values are dropped with a note, never raised) and ``language`` (``"ru"``/``"en"``:
  the language of labels, notes and of the name used for sorting);
- returns a ``listing.results.SearchResult`` whose ``queryset`` holds only
  published rows, filtered and sorted exactly as the list shows them across all its
  pages, not paginated. It is ready to stream: ``select_related("region")``, types
  of work prefetched in ``public_activities`` (organizations) and, for
  organizations, ``with_public_contacts()`` applied, so contact details must be read
  from ``public_email``, ``public_address_ru/en``, ``public_postal_code`` and
  ``public_phones``, never from the raw fields. People carry ``public_affiliations``
  (affiliations with published organizations only). ``total`` is one COUNT query
  (none with the text match in memory); ``facets`` run only when read;
  ``querystring`` is the cleaned query string for links such as the export's.

What every visitor of the same filters sees alike is cached by ``directory.freshness``
(unreachable after any write): the regions and types of work, the facet counts and
total, the rows the text match found, and each page's ids in list order, which the
list page then reads by id (``Listing.cards``). The export streams
``queryset`` itself.
"""

from .listings import ORGANIZATIONS, PEOPLE


def organization_search(*, params, language: str | None = None):
    """Published organizations matching ``params``; see the module docstring."""
    return ORGANIZATIONS.search(params, language)


def person_search(*, params, language: str | None = None):
    """Published people matching ``params``; see the module docstring."""
    return PEOPLE.search(params, language)

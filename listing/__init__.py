"""The one faceted-list framework of the site: search, facets, chips, sorts, pages, list view.

A list is one declaration (``listing.Listing``) in its app's ``listings.py``: the rows,
the facets (each owns its filter, its count, its options and its chip), the sorts and
how a page's cards are read. Both apps use it; it imports neither.
"""

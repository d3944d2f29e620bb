"""A listing's URLs: its page and its downloads, in one line of an app's URLconf."""

from django.urls import path, re_path

from .exports import FORMATS, export_view
from .views import ListingView


def listing_urls(route: str, listing, name: str) -> list:
    """The list page at ``route`` (URL name ``<name>_list``) and its downloads at
    ``<route>export.csv``, ``.json`` and ``.xlsx`` (``<name>_export``)."""
    formats = "|".join(FORMATS)
    return [
        path(route, ListingView.as_view(listing=listing), name=f"{name}_list"),
        re_path(
            rf"^{route}export\.(?P<format>{formats})$",
            export_view,
            {"listing": listing},
            name=f"{name}_export",
        ),
    ]

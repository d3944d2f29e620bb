"""Reads for the publication detail page: published entries and relations only."""

from django.db.models import Prefetch
from django.http import Http404

from directory import visibility
from directory.models import Person

from .models import Publication


def publication_detail(slug: str) -> Publication:
    """A published book with its public sources; a draft publisher or editor is left out
    as if absent."""
    queryset = (
        visibility.with_public_sources(Publication.objects.published())
        .select_related("series", "publisher")
        .annotate(publisher_public=visibility.as_value(visibility.published("publisher__")))
        .prefetch_related(
            "topics",
            Prefetch(
                "editors",
                queryset=Person.objects.published().order_by("name"),
                to_attr="public_editors",
            ),
        )
    )
    try:
        publication = queryset.get(slug=slug)
    except Publication.DoesNotExist:
        raise Http404("No such publication") from None
    publication.public_publisher = publication.publisher if publication.publisher_public else None
    return publication

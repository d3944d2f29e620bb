"""The publications export: the list's search, every row (``listing.exports`` writes it)."""

from django.utils.translation import gettext_lazy

from directory.columns import public_sources_prefetch
from listing.exports import Export, rows_of, translated

from . import columns


def publication_export(*, result, base_url: str) -> Export:
    """The export of a ``PUBLICATIONS.search`` result in its language."""
    lang = result.language
    ctx = columns.PublicationContext(lang=lang, base_url=base_url)
    return Export(
        name="publications",
        columns=columns.PUBLICATION_COLUMNS,
        headers=columns.publication_headers(lang),
        rows=(
            columns.publication_row(publication, ctx)
            for publication in rows_of(result, public_sources_prefetch())
        ),
        lang=lang,
        specs=columns.PUBLICATION_COLUMN_SPECS,
        title=translated(lang, gettext_lazy("Publications")),
    )

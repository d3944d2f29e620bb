"""What a list page and an export get from one search: the result and its pages."""

from collections.abc import Callable
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext

from . import querystring
from .facets import NOTE_VALUE_LENGTH, Chip, ShownFacet
from .readers import PageRows


class SearchResult:
    """One search of a listing.

    - ``queryset``: the published rows that match, filtered and sorted, not
      paginated (an export streams it);
    - ``total``: how many rows that is, whatever is read first: from the facet counts
      when they are known or wanted (``facets_wanted``: a list page) and give it,
      else one COUNT;
    - ``facets``: the facets with disjunctive counts (counted on first use, so an
      export that never reads them runs no facet query);
    - ``active_filters``: the chips; ``notes``: what was ignored or changed in the
      query string and why, translated; ``params``: the cleaned parameters that
      every link on the page carries; ``sort`` and ``sort_options``;
    - ``read_page`` (optional): the rows ``bottom:top`` in list order by a faster way
      than a slice of ``queryset`` (``listing.readers.PageReader``); a page's
      ``object_list`` is then a ``PageRows``, whose cards' HTML is cached too.
    """

    def __init__(
        self,
        *,
        queryset: QuerySet,
        params: dict[str, list[str]],
        notes: list[str],
        language: str,
        sort: str,
        sort_options: list[tuple[str, str]],
        active_filters: list[Chip],
        q: str,
        counts: Callable[[], dict],
        show: Callable[[dict], list[ShownFacet]],
        count: Callable[[], int],
        facets_wanted: bool,
        read_page: Callable[[int, int], list] | None = None,
    ):
        self.queryset, self.params, self.notes = queryset, params, notes
        self.language, self.sort, self.sort_options = language, sort, sort_options
        self.active_filters, self.q = active_filters, q
        self._counts, self._show, self._count = counts, show, count
        self._facets_wanted, self.read_page = facets_wanted, read_page

    @cached_property
    def counts(self) -> dict:
        """``{facet: counts}`` and ``total`` (None when no grouped query gave it)."""
        with translation.override(self.language):
            return self._counts()

    @cached_property
    def total(self) -> int:
        if self._facets_wanted or "counts" in self.__dict__:
            if (total := self.counts["total"]) is not None:
                return total
        return self._count()

    @cached_property
    def facets(self) -> list[ShownFacet]:
        with translation.override(self.language):
            return self._show(self.counts)

    @property
    def filter_count(self) -> int:
        """How many filter values are chosen ("Filters (3 active)"); the text search has
        its own box and is not one of them."""
        return sum(1 for chip in self.active_filters if chip.name != querystring.TEXT)

    def facet(self, name: str) -> ShownFacet | None:
        return next((f for f in self.facets if f.name == name), None)

    @property
    def querystring(self) -> str:
        """The cleaned parameters without the page, e.g. for the export link."""
        return querystring.encode({k: v for k, v in self.params.items() if k != querystring.PAGE})

    def page(self, raw_page, per_page: int) -> "ResultPage":
        return ResultPage(self, raw_page, per_page)


class CountedPaginator(Paginator):
    """A paginator told the count (the search knows it) instead of asking for it."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


class ResultPage:
    """One page of a result, with notes when the page number had to be corrected."""

    def __init__(self, result: SearchResult, raw_page, per_page: int):
        self.notes: list[str] = []
        self.paginator = CountedPaginator(result.queryset, per_page, count=result.total)
        number = self._page_number(raw_page, self.paginator.num_pages)
        self.page = self.paginator.page(number)
        self.params = result.params
        self.object_list = self.page.object_list
        if result.read_page is not None:
            bottom = (number - 1) * per_page
            top = min(bottom + per_page, result.total)
            self.object_list = PageRows(result.read_page, bottom, top)

    def _page_number(self, raw, num_pages: int) -> int:
        if raw in (None, ""):
            return 1
        text = str(raw).replace("\x00", "").strip()[:NOTE_VALUE_LENGTH]
        try:
            number = int(text)
        except ValueError:
            self.notes.append(
                gettext("Page “%(page)s” is not a page number: showing page 1.") % {"page": text}
            )
            return 1
        if number < 1:
            self.notes.append(
                gettext("There is no page %(page)s: showing page 1.") % {"page": number}
            )
            return 1
        if number > num_pages:
            self.notes.append(
                gettext("There is no page %(page)s: showing the last page, %(last)s.")
                % {"page": number, "last": num_pages}
            )
            return num_pages
        return number

    def _url(self, number: int) -> str:
        if number == 1:
            return querystring.remove(self.params, querystring.PAGE)
        return querystring.replace(self.params, querystring.PAGE, number)

    @property
    def previous_url(self) -> str:
        return self._url(self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self._url(self.page.number + 1) if self.page.has_next() else ""

    @property
    def links(self) -> list["PageLink"]:
        """Page links around the current one, with ``None`` for a gap."""
        current, last = self.page.number, self.paginator.num_pages
        numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
        links: list[PageLink] = []
        previous = 0
        for number in numbers:
            if number - previous > 1:
                links.append(PageLink(number=None, url=""))
            links.append(PageLink(number=number, url=self._url(number), current=number == current))
            previous = number
        return links


class PageLink:
    def __init__(self, number: int | None, url: str, current: bool = False):
        self.number, self.url, self.current = number, url, current

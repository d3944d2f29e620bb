"""The list page of any listing: results, page, facets, chips, notes, export links."""

from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from rightsnet.i18n import current_language

from . import querystring
from .listing import Listing


def export_url(name: str, fmt: str, query: str) -> str:
    """The export link for ``name`` with the given query, or "" until the view exists."""
    try:
        url = reverse(name, kwargs={"format": fmt})
    except NoReverseMatch:
        return ""
    return url + (query if query != "?" else "")


class ListingView(TemplateView):
    """``ListingView.as_view(listing=ORGANIZATIONS)``: the page of one listing."""

    listing: Listing | None = None
    paginate_by = 50

    def get_template_names(self):
        return [self.listing.template]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.listing.search(self.request.GET, current_language(), facets=True)
        page = result.page(self.request.GET.get(querystring.PAGE), self.paginate_by)
        name, query = self.listing.export_url_name, result.querystring
        context.update(
            result=result,
            page=page,
            object_list=page.object_list,
            notes=[*result.notes, *page.notes],
            export_csv_url=export_url(name, "csv", query) if name else "",
            export_json_url=export_url(name, "json", query) if name else "",
            export_xlsx_url=export_url(name, "xlsx", query) if name else "",
            statistics_url=(
                reverse(self.listing.statistics_url_name) + (query if query != "?" else "")
                if self.listing.statistics_url_name
                else ""
            ),
            clear_url=self.request.path,
        )
        return context

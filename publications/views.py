"""Public pages of the publications catalogue: thin views over the selectors."""

from django.views.generic import DetailView

from rightsnet.facets import FacetedListView

from . import page_selectors, selectors


class PublicationListView(FacetedListView):
    template_name = "publications/publication_list.html"
    selector = staticmethod(selectors.publication_search)
    export_name = "publications:publication_export"


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.publication_detail(self.kwargs["slug"])

"""Public pages of the publications catalogue: thin views over the selectors."""

from django.views.generic import DetailView

from . import page_selectors


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.publication_detail(self.kwargs["slug"])

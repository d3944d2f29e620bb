"""Public pages of the publications catalogue (placeholders until the public site lands)."""

from django.views.generic import DetailView, ListView

from . import page_selectors
from .models import Publication


class PublicationListView(ListView):
    queryset = Publication.objects.published()


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.publication_detail(self.kwargs["slug"])

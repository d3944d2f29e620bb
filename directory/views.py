"""Public pages of the directory: thin views over the selectors."""

from django.conf import settings
from django.shortcuts import render
from django.views.generic import DetailView, ListView, View

from . import contacts, page_selectors
from .models import Practice


def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "activities": page_selectors.activities_with_counts(),
            "top_regions": page_selectors.top_regions(),
            "recent": page_selectors.recently_updated(),
            "org_count": page_selectors.published_count(),
        },
    )


def about(request):
    return render(
        request, "directory/about.html", {"contact_email": settings.RIGHTSNET_CONTACT_EMAIL}
    )


class OrganizationDetailView(DetailView):
    template_name = "directory/organization_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.organization_detail(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["similar"] = page_selectors.similar_organizations(self.object)
        # Judged at each request: the cached organization does not see the days pass.
        context["contacts"] = contacts.of(self.object)
        return context


class RegionListView(ListView):
    template_name = "directory/region_list.html"
    context_object_name = "tree"

    def get_queryset(self):
        return page_selectors.region_tree()


class RegionDetailView(View):
    def get(self, request, slug):
        context = page_selectors.region_landing(slug)
        return render(request, "directory/region_detail.html", context)


class ActivityListView(ListView):
    template_name = "directory/activity_list.html"
    context_object_name = "activities"

    def get_queryset(self):
        return page_selectors.activities_with_counts()


class ActivityDetailView(View):
    def get(self, request, slug):
        context = page_selectors.activity_landing(slug)
        return render(request, "directory/activity_detail.html", context)


class PersonDetailView(DetailView):
    template_name = "directory/person_detail.html"

    def get_object(self, queryset=None):
        return page_selectors.person_detail(self.kwargs["slug"])


class PracticeDetailView(DetailView):
    """A placeholder until the practice page (issue 13's detail part) replaces it:
    published practices only, in the bare site layout."""

    template_name = "base.html"

    def get_queryset(self):
        return Practice.objects.published()

"""Public pages of the directory (placeholders until the public site lands)."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import ActivityType, Organization, Person, Region


def home(request):
    return render(request, "directory/home.html")


class OrganizationListView(ListView):
    queryset = Organization.objects.published()
    paginate_by = 50


class OrganizationDetailView(DetailView):
    queryset = Organization.objects.published().with_public_contacts()


class RegionDetailView(DetailView):
    model = Region


class ActivityDetailView(DetailView):
    model = ActivityType


class PersonDetailView(DetailView):
    queryset = Person.objects.published()

"""Public pages of the directory (placeholders until the public site lands)."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import ActivityType, Organization, Person, Region


def home(request):
    return render(request, "directory/home.html")


def about(request):
    return render(request, "directory/home.html")


class OrganizationListView(ListView):
    queryset = Organization.objects.published()
    paginate_by = 50


class OrganizationDetailView(DetailView):
    queryset = Organization.objects.published().with_public_contacts()


class RegionListView(ListView):
    model = Region


class RegionDetailView(DetailView):
    model = Region


class ActivityListView(ListView):
    model = ActivityType


class ActivityDetailView(DetailView):
    model = ActivityType


class PersonListView(ListView):
    queryset = Person.objects.published()


class PersonDetailView(DetailView):
    queryset = Person.objects.published()

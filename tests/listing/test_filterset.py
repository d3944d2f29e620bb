"""The FilterSet base: django-filter's form validates what the lenient cleaning left."""

import django_filters
from django.http import QueryDict
from django.utils import translation

from directory.models import Organization
from listing.facets import ChoiceFacet, Lookups
from listing.filterset import FilterSet


class OnlyGroups(ChoiceFacet):
    """A facet whose filter refuses a value that its cleaning lets through."""

    def as_filter(self, lookups, params=None):
        return django_filters.MultipleChoiceFilter(
            label=self.label, choices=[("group", "group")], method=lambda qs, name, v: qs
        )


def test_a_value_the_form_refuses_is_dropped_with_a_note():
    facet = OnlyGroups("kind", "Kind", column="kind", choices=Organization.Kind.choices)
    with translation.override("en"):
        filterset = FilterSet(
            [facet],
            QueryDict("kind=group&kind=network&sort=name"),
            Lookups(),
            Organization.objects.all(),
        )
    assert filterset.params == {"sort": ["name"]}
    assert filterset.notes == [
        "Filter “Kind” ignored: Select a valid choice. network is not one of the available choices."
    ]
    assert "WHERE" not in str(filterset.filter(Organization.objects.all()).query)

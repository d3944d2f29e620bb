"""The query string of a list: cleaned leniently, validated and applied by django-filter.

A bad value is dropped with a note for the user instead of failing the page, so the
cleaned parameters are always valid and can be used for every link on the page:
NUL bytes out, repeated values merged, one value kept for single-valued parameters,
text cut to its length, a search without words dropped, unknown values dropped.
The form made of the facets' filters (``Facet.as_filter``) then validates what is
left, and ``filter(queryset, exclude=...)`` applies its ``cleaned_data`` through the
filters, every one but the named ones: what a disjunctive facet count needs, one
facet's options counted with the others applied.
"""

from collections.abc import Iterable

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext

from .facets import Facet, TextFacet, truncate


def clean_values(values: Iterable) -> list[str]:
    """Query-string values as every filter reads them: NUL bytes and surplus space out,
    empty values and repeats dropped (PostgreSQL refuses text with NUL in any query)."""
    cleaned: list[str] = []
    for value in values:
        value = " ".join(str(value).replace("\x00", " ").split())
        if value and value not in cleaned:
            cleaned.append(value)
    return cleaned


def raw_values(params, name: str) -> list[str]:
    """The cleaned values of ``name`` in a QueryDict or ``{name: [values]}`` mapping."""
    raw = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    return clean_values(raw)


class FilterSet(django_filters.FilterSet):
    """The cleaned parameters (``params``) of ``facets`` plus ``sort``, and ``notes``
    saying what was changed or dropped and why; one filter per facet, over ``queryset``."""

    def __init__(self, facets: list[Facet], params, lookups, queryset):
        self.facets, self.lookups = facets, lookups
        self.notes: list[str] = []
        self.params: dict[str, list[str]] = {}
        for facet in facets:
            if values := self._clean(facet, raw_values(params, facet.name)):
                self.params[facet.name] = values
            if facet.mode_param and (modes := raw_values(params, facet.mode_param)):
                if len(modes) > 1:
                    self._only_one(facet.mode_param, modes)
                kept, notes = facet.clean_mode(modes)
                self.notes += notes
                if kept:
                    self.params[facet.mode_param] = kept
        if sort := raw_values(params, "sort"):
            if len(sort) > 1:
                self._only_one("sort", sort)
            self.params["sort"] = sort[:1]
        data = QueryDict(mutable=True)
        for name, values in self.params.items():
            data.setlist(name, values)
        super().__init__(data, queryset)
        self.filters = {facet.name: facet.as_filter(lookups, self.params) for facet in facets}
        for name, errors in self.form.errors.items():
            # Unreachable after the cleaning unless a facet's filter and its cleaning
            # disagree: the parameter is dropped rather than the page failed.
            label = str(self.filters[name].label)
            for error in errors:
                self.notes.append(
                    gettext("Filter “%(filter)s” ignored: %(error)s")
                    % {"filter": label, "error": error}
                )
            self.params.pop(name, None)
        text = next((f for f in facets if isinstance(f, TextFacet)), None)
        self.q = self.params.get(text.name, [""])[0] if text else ""

    def _only_one(self, label, values) -> None:
        self.notes.append(
            gettext("Only one value of “%(filter)s” can be used: “%(value)s” was kept.")
            % {"filter": label, "value": truncate(values[0])}
        )

    def _clean(self, facet: Facet, values: list[str]) -> list[str]:
        label = str(facet.label)
        if facet.single_valued and len(values) > 1:
            self._only_one(label, values)
            values = values[:1]
        if isinstance(facet, TextFacet):
            for i, value in enumerate(values):
                if len(value) > facet.max_length:
                    self.notes.append(
                        gettext("“%(filter)s” was too long and was cut to %(limit)s characters.")
                        % {"filter": label, "limit": facet.max_length}
                    )
                    values[i] = value[: facet.max_length].strip()
            for value in values:
                if not facet.words(value):
                    self.notes.append(
                        gettext(
                            "“%(value)s” has no letters or digits to search for: "
                            "showing everything."
                        )
                        % {"value": truncate(value)}
                    )
            values = [value for value in values if facet.words(value)]
        values, notes = facet.clean(values)
        self.notes += notes
        known = facet.known(self.lookups)
        if known is not None:
            for value in values:
                if value not in known:
                    self.notes.append(
                        gettext("Unknown %(filter)s “%(value)s” ignored.")
                        % {"filter": label.lower(), "value": truncate(value)}
                    )
            values = [value for value in values if value in known]
        return values

    def filter(self, queryset, *, exclude: Iterable[str] = ()):
        """Apply the form's ``cleaned_data`` through every filter except those named in
        ``exclude`` (a filter skips an empty value)."""
        for name, value in self.form.cleaned_data.items():
            if name not in exclude:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

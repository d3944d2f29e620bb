"""Dates known to a year, a month or a day: "1976", "January 1997", "25 January 2023".

A source last updated in January 1997 must not become "1 January 1997". A model keeps
such a date in two columns (a ``DateField`` and a ``date_precision`` with ``Precision``
choices); ``PartialDate`` is the value read from them, compared, shown in either
language and typed in the admin as "1997", "1997-01" or "1997-01-25".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import total_ordering

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

from rightsnet.i18n import current_language

# Digits only in ASCII: "١٩٩٧" is not a year a reader can check.
_TEXT = re.compile(r"(?P<year>[0-9]+)(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?", re.ASCII)
MIN_YEAR, MAX_YEAR = 1000, 9999
# Languages that write a month name in lower case inside a date ("январь 1997 г."),
# where Django's month names are capitalised for standing alone ("Январь").
_LOWER_CASE_MONTHS = {"ru"}


class Precision(models.TextChoices):
    """How much of a date is known; coarser first (the order ``PartialDate`` sorts by)."""

    YEAR = "year", pgettext_lazy("date precision", "year")
    MONTH = "month", pgettext_lazy("date precision", "month")
    DAY = "day", pgettext_lazy("date precision", "day")


_RANK = {precision: rank for rank, precision in enumerate(Precision)}
# How much of an ISO date ("1997-01-25") each precision keeps.
_ISO_WIDTH = {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}


def iso_of(date: datetime.date | None, precision: str) -> str | None:
    """``PartialDate(date, precision).iso()`` straight from a model's two columns
    (None without a date), with no value made: what an export writes for each row."""
    return None if date is None else date.isoformat()[: _ISO_WIDTH[precision]]


@total_ordering
@dataclass(frozen=True, eq=True)
class PartialDate:
    """A date known to ``precision``; the date is the first day of its year or month
    when coarser than a day, so two values for "January 1997" are equal.

    Ordered by date, then coarser first: 1997 < January 1997 < 1 January 1997.
    """

    date: datetime.date
    precision: Precision

    def __post_init__(self):
        precision = Precision(self.precision)
        date = self.date
        if precision == Precision.YEAR:
            date = date.replace(month=1, day=1)
        elif precision == Precision.MONTH:
            date = date.replace(day=1)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "date", date)

    def __lt__(self, other):
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.date, _RANK[self.precision]) < (other.date, _RANK[other.precision])

    def __str__(self):
        return self.display()

    @classmethod
    def from_parts(cls, date: datetime.date | None, precision: str) -> PartialDate | None:
        """The value of a model's date and precision columns; None when no date is set."""
        return None if date is None else cls(date, Precision(precision))

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """ "1997", "1997-01" or "1997-01-25" (surrounding spaces ignored), else
        ValidationError with a message for the person who typed it."""
        text = (text or "").strip()
        match = _TEXT.fullmatch(text)
        if match is None:
            raise ValidationError(
                gettext(
                    "Enter a year, a year and month or a full date, "
                    "for example 1997, 1997-01 or 1997-01-25."
                ),
                code="invalid",
            )
        year, month, day = match["year"], match["month"], match["day"]
        if len(year) != 4 or not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise ValidationError(
                gettext("The year must be between %(min)s and %(max)s.")
                % {"min": MIN_YEAR, "max": MAX_YEAR},
                code="year",
            )
        if month is not None and not 1 <= int(month) <= 12:
            raise ValidationError(
                gettext("There is no month %(month)s: months are 01 to 12.") % {"month": month},
                code="month",
            )
        try:
            date = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(
                gettext("There is no such day in the calendar: %(date)s.") % {"date": text},
                code="day",
            ) from None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        return cls(date, precision)

    def iso(self) -> str:
        """The form ``parse`` reads: "1997", "1997-01" or "1997-01-25"."""
        return iso_of(self.date, self.precision)

    def display(self, language: str | None = None) -> str:
        """ "January 1997" / «январь 1997 г.», in ``language`` or the current one."""
        language = current_language(language)
        with translation.override(language):
            parts = {"year": self.date.year}
            if self.precision == Precision.YEAR:
                return pgettext("a year in a date", "%(year)s") % parts
            if self.precision == Precision.MONTH:
                month = str(MONTHS[self.date.month])
                if language in _LOWER_CASE_MONTHS:
                    month = month.lower()
                return pgettext("a month in a date", "%(month)s %(year)s") % {
                    **parts,
                    "month": month,
                }
            return pgettext("a day in a date", "%(day)s %(month)s %(year)s") % {
                **parts,
                "month": str(MONTHS_ALT[self.date.month]),
                "day": self.date.day,
            }

    def since(self, language: str | None = None) -> str:
        """ "since January 1997" / «с января 1997 г.»: after "since", Russian puts a month
        in the genitive, as in a full date."""
        return self._bound(_SINCE, language)

    def until(self, language: str | None = None) -> str:
        """ "until January 1997" / «до января 1997 г.» (the month in the genitive)."""
        return self._bound(_UNTIL, language)

    def _bound(self, phrases: dict, language: str | None) -> str:
        """This date in one of ``phrases`` (per precision), the month in the genitive."""
        language = current_language(language)
        with translation.override(language):
            parts = {"year": self.date.year}
            if self.precision != Precision.YEAR:
                month = str(MONTHS_ALT[self.date.month])
                parts["month"] = month.lower() if language in _LOWER_CASE_MONTHS else month
            if self.precision == Precision.DAY:
                parts["day"] = self.date.day
            return str(phrases[self.precision]) % parts


# "since …" and "until …" for each precision (PartialDate._bound).
_SINCE = {
    Precision.YEAR: pgettext_lazy("since a year", "since %(year)s"),
    Precision.MONTH: pgettext_lazy("since a month", "since %(month)s %(year)s"),
    Precision.DAY: pgettext_lazy("since a day", "since %(day)s %(month)s %(year)s"),
}
_UNTIL = {
    Precision.YEAR: pgettext_lazy("until a year", "until %(year)s"),
    Precision.MONTH: pgettext_lazy("until a month", "until %(month)s %(year)s"),
    Precision.DAY: pgettext_lazy("until a day", "until %(day)s %(month)s %(year)s"),
}


def period(start: PartialDate | None, end: PartialDate | None, language: str | None = None) -> str:
    """A span of time as a reader says it: "1992–1994" / «1992–1994 гг.», "March 1992 –
    June 1994", "since 1992" (no end: ongoing), "until 1994" (the start is not known),
    "" when neither is known."""
    language = current_language(language)
    if start is None and end is None:
        return ""
    if end is None:
        return start.since(language)
    if start is None:
        return end.until(language)
    if start == end:
        return start.display(language)
    with translation.override(language):
        if start.precision == end.precision == Precision.YEAR:
            return pgettext("a range of years", "%(start)s–%(end)s") % {
                "start": start.date.year,
                "end": end.date.year,
            }
        return pgettext("a range of dates", "%(start)s – %(end)s") % {
            "start": start.display(language),
            "end": end.display(language),
        }


class PartialDateField(forms.CharField):
    """Admin input of a ``PartialDate`` as text: "1997", "1997-01" or "1997-01-25"."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy("A year (1997), a year and month (1997-01) or a full date (1997-01-25)."),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.iso() if isinstance(value, PartialDate) else value

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return PartialDate.parse(value)


class _PartialDateFormMetaclass(forms.models.ModelFormMetaclass):
    """Declares each field of ``partial_dates`` on the class, so that ``fields``, an admin's
    fieldsets and ``modelform_factory`` may name it like a model field."""

    def __new__(mcs, name, bases, attrs):
        for field_name in attrs.get("partial_dates", {}):
            attrs.setdefault(field_name, PartialDateField(required=False))
        return super().__new__(mcs, name, bases, attrs)


class PartialDateModelForm(forms.ModelForm, metaclass=_PartialDateFormMetaclass):
    """A model form that edits each date-and-precision pair of columns as one text field.

    ``partial_dates`` maps a form field name to its model's (date, precision) columns,
    e.g. ``{"when": ("date", "date_precision")}``; list the columns themselves in
    neither ``fields`` nor the admin's fieldsets, and the form field instead.
    """

    partial_dates: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (date_name, precision_name) in self.partial_dates.items():
            model_field = self._meta.model._meta.get_field(date_name)
            self.fields[name] = PartialDateField(
                label=model_field.verbose_name, required=not model_field.null
            )
            if self.instance is not None:
                self.initial.setdefault(
                    name,
                    PartialDate.from_parts(
                        getattr(self.instance, date_name),
                        getattr(self.instance, precision_name) or Precision.DAY,
                    ),
                )

    def _post_clean(self):
        for name, (date_name, precision_name) in self.partial_dates.items():
            if name not in self.cleaned_data:
                continue  # refused: its message is already on the field
            value = self.cleaned_data[name]
            setattr(self.instance, date_name, value.date if value else None)
            setattr(self.instance, precision_name, value.precision.value if value else "")
        super()._post_clean()

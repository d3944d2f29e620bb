"""Whether an organization's contacts are current or historical: the one rule.

Contacts are *historical* when the organization is closed, or when their as-of date
(``Organization.contacts_as_of`` with its precision) is more than
``RIGHTSNET_STALE_CONTACTS_YEARS`` years old. The age counts from the end of the date's
period: contacts "as of January 1997" held until 31 January 1997 and, with 3 years,
become stale on 1 February 2000; "as of 1997" on 1 January 2001.

Contacts without an as-of date are current (shown without an as-of label) unless the
organization is closed: the date is unknown, not old. The admin flags them as missing
a date. Historical contacts are still shown, muted and labelled, but never as links
(no tap-to-call, no mailto) and never in the page's JSON-LD as contact points.

Whether contacts are *public* is another rule (``directory.visibility``): restricted
contacts are hidden whatever their age.

The rule depends on today's date, which cached HTML does not see: readers that cache
what it decides put the ``cutoff()`` they judged by in their keys (the list's cards do).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext, pgettext

from rightsnet.i18n import current_language

from .dates import PartialDate, Precision
from .models import Organization


def today() -> datetime.date:
    """Today in the site's time zone."""
    return timezone.localdate()


@dataclass(frozen=True)
class Cutoff:
    """Contacts whose as-of period ended before ``day`` are stale: ``years`` before today."""

    day: datetime.date
    years: int

    def __str__(self):
        """What a cache key of HTML that shows the rule's answers carries."""
        return f"{self.day.isoformat()}/{self.years}"

    def limits(self) -> dict[Precision, datetime.date]:
        """Per precision, the first as-of date that is not stale.

        A period ends before ``day`` exactly when it starts before the start of
        ``day``'s own period of that precision ("1997" ends before 1 March 2000, and
        1 January 1997 is before 1 January 2000), so the rule compares stored dates
        only, in Python and in SQL alike, whatever day of its period a date was
        stored as.
        """
        return {
            Precision.YEAR: self.day.replace(month=1, day=1),
            Precision.MONTH: self.day.replace(day=1),
            Precision.DAY: self.day,
        }


def cutoff(on: datetime.date | None = None, years: int | None = None) -> Cutoff:
    """The cutoff ``years`` (``RIGHTSNET_STALE_CONTACTS_YEARS``) before ``on`` (today).
    29 February counts back to 28 February."""
    on = on or today()
    years = settings.RIGHTSNET_STALE_CONTACTS_YEARS if years is None else years
    try:
        day = on.replace(year=on.year - years)
    except ValueError:
        day = on.replace(year=on.year - years, day=28)
    return Cutoff(day, years)


def is_stale(as_of: PartialDate | None, cut: Cutoff) -> bool:
    """Whether contacts as of ``as_of`` are older than the cutoff allows."""
    return as_of is not None and as_of.date < cut.limits()[as_of.precision]


def stale_condition(cut: Cutoff) -> Q:
    """``is_stale`` as an SQL condition on organizations (the admin's filters)."""
    return Q(
        *(
            Q(contacts_as_of_precision=precision, contacts_as_of__lt=limit)
            for precision, limit in cut.limits().items()
        ),
        _connector=Q.OR,
    )


@dataclass(frozen=True)
class Contacts:
    """What the rule says of one organization's contacts."""

    historical: bool
    # Why they are historical: "closed" or "stale"; "" when current.
    reason: str
    as_of: PartialDate | None
    years: int

    def label(self, language: str | None = None) -> str:
        """ "as of January 1997" («по состоянию на январь 1997 г.»); "" without a date."""
        if self.as_of is None:
            return ""
        language = current_language(language)
        with translation.override(language):
            return pgettext("contacts", "as of %(date)s") % {"date": self.as_of.display(language)}

    def explanation(self, language: str | None = None) -> str:
        """Why historical contacts are shown as such; "" for current ones."""
        with translation.override(current_language(language)):
            if self.reason == "closed":
                return gettext(
                    "The organization is closed: these are its last known contacts, "
                    "kept for the record."
                )
            if self.reason == "stale":
                return ngettext(
                    "These contacts are more than %(years)s year old and may no longer work.",
                    "These contacts are more than %(years)s years old and may no longer work.",
                    self.years,
                ) % {"years": self.years}
        return ""


def judge(*, status: str, as_of: PartialDate | None, cut: Cutoff) -> Contacts:
    """The rule: historical when closed or older than the cutoff; current otherwise."""
    if status == Organization.Status.CLOSED:
        reason = "closed"
    elif is_stale(as_of, cut):
        reason = "stale"
    else:
        reason = ""
    return Contacts(historical=bool(reason), reason=reason, as_of=as_of, years=cut.years)


def of(organization, cut: Cutoff | None = None) -> Contacts:
    """The rule for an organization (anything with ``status`` and ``contacts_date``)."""
    return judge(status=organization.status, as_of=organization.contacts_date, cut=cut or cutoff())

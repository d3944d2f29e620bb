"""An organization's public events decide what is derived from them.

``Organization.status``, ``status_since``, ``founded``, ``designations`` and
``former_names`` are never typed where an event says them: ``derive()`` is the one
rule, ``Organization.save()`` applies it, and saving or deleting an event saves its
organization again (so the change is in the organization's history too).

- the latest *status-changing* event sets the status and its date: liquidated or
  ceased -> closed, suspended -> inactive, resumed or moved abroad -> active;
- with no such event the status staff chose stands (they may say "unknown" when
  nothing is known); an active organization is active since its founding (or its
  registration) when an event dates it;
- ``founded`` is the year of the earliest founded event; none -> no year;
- designations are the kinds of the designation events ("foreign agent",
  "undesirable organization"), in a fixed order;
- former names come from the renamed events, in both languages.

Events with ``is_public`` off are staff notes: they decide nothing the public sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import PartialDate, Precision

STATUS_BY_KIND = {
    "liquidated": "closed",
    "ceased": "closed",
    "suspended": "inactive",
    "resumed": "active",
    "relocated": "active",
}
START_KINDS = ("founded", "registered")
DESIGNATION_KINDS = ("foreign_agent", "undesirable")
# The derived columns, for ``save(update_fields=...)``.
DERIVED_FIELDS = (
    "status", "status_since", "status_since_precision", "founded", "designations",
    "former_names",
)  # fmt: skip


@dataclass(frozen=True)
class Derived:
    status: str
    status_since: PartialDate | None
    founded: int | None
    designations: str
    former_names: str

    def apply(self, organization) -> None:
        organization.status = self.status
        since = self.status_since
        organization.status_since = since.date if since else None
        organization.status_since_precision = since.precision.value if since else ""
        organization.founded = self.founded
        organization.designations = self.designations
        organization.former_names = self.former_names


def _key(event):
    return (event.when, event.pk or 0)


def derive(events: Iterable, *, staff_status: str) -> Derived:
    """The derived values from an organization's ``events`` (public ones are used)."""
    public = sorted((e for e in events if e.is_public), key=_key)
    changing = [e for e in public if e.kind in STATUS_BY_KIND]
    starts = [e for e in public if e.kind in START_KINDS]
    founded = [e for e in public if e.kind == "founded"]
    if changing:
        status, since = STATUS_BY_KIND[changing[-1].kind], changing[-1].when
    else:
        status = staff_status
        first_start = (founded or starts or [None])[0]
        since = first_start.when if status == "active" and first_start else None
    kinds = {e.kind for e in public}
    former = []
    for event in public:
        if event.kind != "renamed":
            continue
        for name in (event.former_name_ru, event.former_name_en):
            if name and name not in former:
                former.append(name)
    return Derived(
        status=status,
        status_since=since,
        founded=founded[0].date.year if founded else None,
        designations=" ".join(kind for kind in DESIGNATION_KINDS if kind in kinds),
        former_names="\n".join(former),
    )


def founded_event_date(year: int) -> tuple[datetime.date, str]:
    """The date columns of a founded event known to the year."""
    return datetime.date(year, 1, 1), Precision.YEAR.value


def set_founded_year(organization, year: int | None) -> None:
    """Make the public founded events say ``year`` (known to the year); None removes them.

    Called when a founding year is typed (admin field, import, code) rather than an
    event: the earliest public founded event is moved, or one is added.
    """
    founded = sorted(
        (e for e in organization.events.all() if e.is_public and e.kind == "founded"), key=_key
    )
    if year is None:
        for event in founded:
            event.delete()
        return
    date, precision = founded_event_date(year)
    if founded:
        event = founded[0]
        if event.date.year != year:
            event.date, event.date_precision = date, precision
            event.save()
        return
    organization.events.create(kind="founded", date=date, date_precision=precision)


def _organization_changed(sender, instance, raw=False, **kwargs) -> None:
    """An event was saved or deleted: write its organization's derived columns.

    An update, not a save: the change is recorded once, in the event's own history
    (and by whoever saved the organization in the same request), not as a second
    anonymous version of the organization.
    """
    from django.utils import timezone

    from .models import Organization

    if raw:  # loading fixtures: ``rebuild_derived_fields`` derives once at the end
        return
    organization = Organization.objects.filter(pk=instance.organization_id).first()
    if organization is None:  # deleted with its organization
        return
    before = tuple(getattr(organization, name) for name in DERIVED_FIELDS)
    derive(organization.events.all(), staff_status=organization.status).apply(organization)
    if tuple(getattr(organization, name) for name in DERIVED_FIELDS) == before:
        return
    values = {name: getattr(organization, name) for name in DERIVED_FIELDS}
    Organization.objects.filter(pk=organization.pk).update(
        **values, search_text=organization.build_search_text(), updated_at=timezone.now()
    )


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import OrganizationEvent

    post_save.connect(_organization_changed, sender=OrganizationEvent, dispatch_uid="event-save")
    post_delete.connect(_organization_changed, sender=OrganizationEvent, dispatch_uid="event-del")

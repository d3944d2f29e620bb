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

Lists and staff actions read the same rule in SQL (``status_decided``,
``active_in_year``, ``designated``, ``designated_in_year``, ``relocations``): from the
derived columns where they hold it, from the public events where they do not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

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


def chronological(events: Iterable) -> list:
    """``events`` in the order they happened (coarser dates first on the same day, as
    ``PartialDate`` sorts; then in the order they were entered)."""
    return sorted(events, key=_key)


def deciding_event(events: Iterable):
    """The public event that decides the status (the latest status-changing one), or None."""
    changing = [e for e in chronological(events) if e.is_public and e.kind in STATUS_BY_KIND]
    return changing[-1] if changing else None


def derive(events: Iterable, *, staff_status: str) -> Derived:
    """The derived values from an organization's ``events`` (public ones are used)."""
    public = [e for e in chronological(events) if e.is_public]
    deciding = deciding_event(public)
    starts = [e for e in public if e.kind in START_KINDS]
    founded = [e for e in public if e.kind == "founded"]
    if deciding is not None:
        status, since = STATUS_BY_KIND[deciding.kind], deciding.when
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


# The same rule read in SQL, for lists and staff actions over many organizations.


def status_decided() -> Exists:
    """True for the organizations whose status their public events decide: staff can
    set the status of the others only."""
    from .models import OrganizationEvent

    return Exists(
        OrganizationEvent.objects.filter(
            organization=OuterRef("pk"), is_public=True, kind__in=list(STATUS_BY_KIND)
        )
    )


def active_in_year(year: int) -> Q:
    """Organizations active at some time in ``year``, as their derived columns say:
    founded by then (or not known when), and not closed before the year began."""
    closed_before = Q(status="closed", status_since__lt=datetime.date(year, 1, 1))
    return (Q(founded__isnull=True) | Q(founded__lte=year)) & ~closed_before


def designated_in_year(year: int) -> Exists:
    """Organizations that a public designation event (either kind) dates in ``year``:
    the ``designated_in=`` filter and the statistics' designations by year."""
    from .models import OrganizationEvent

    return Exists(
        OrganizationEvent.objects.filter(
            organization=OuterRef("pk"),
            is_public=True,
            kind__in=DESIGNATION_KINDS,
            date__gte=datetime.date(year, 1, 1),
            date__lt=datetime.date(year + 1, 1, 1),
        )
    )


def designated(organizations) -> dict[int, frozenset[str]]:
    """``{id: designation codes}`` of the ``organizations`` that have any, in one query.

    The derived column decides; the events' (kind, organization) index only finds the
    few rows worth reading, so no scan of every organization's row is needed.
    """
    from .models import OrganizationEvent

    candidates = OrganizationEvent.objects.filter(kind__in=DESIGNATION_KINDS).values(
        "organization_id"
    )
    rows = (
        organizations.filter(pk__in=candidates)
        .exclude(designations="")
        .order_by()
        .values_list("pk", "designations")
    )
    return {pk: frozenset(codes.split()) for pk, codes in rows}


def relocations(organization_ids) -> dict[int, int | None]:
    """``{id: country id or None}`` of the organizations among ``organization_ids`` whose
    status their move abroad decides (it is their latest status-changing event), in
    one query."""
    from .models import OrganizationEvent

    events: dict[int, list] = {}
    for event in OrganizationEvent.objects.filter(
        organization_id__in=organization_ids, is_public=True, kind__in=list(STATUS_BY_KIND)
    ).only("id", "organization_id", "kind", "date", "date_precision", "is_public", "country_id"):
        events.setdefault(event.organization_id, []).append(event)
    found = {}
    for organization_id, own in events.items():
        deciding = deciding_event(own)
        if deciding.kind == "relocated":
            found[organization_id] = deciding.country_id
    return found


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

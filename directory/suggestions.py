"""What the public may suggest about an organization, and how a suggestion compares.

A public submission (``directory.Submission``) holds proposed values under the
organization's own field names (``SUGGESTED_FIELDS``): ``name_ru``, ``city_en``,
``kind``, ``region`` (a slug), ``activities`` (slugs), ``phones`` (numbers; the fax
stays as it is), ``email`` ... The correction form starts from the entry's public
values only (``public_values``): restricted contacts are never read for a visitor.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rightsnet.i18n import in_language

from . import visibility
from .duplicates import likely_duplicates
from .models import ActivityType, Organization, Phone, Region

# Every key a submission may hold, in the order the comparison shows them.
SUGGESTED_FIELDS = {
    "name_ru": _("Name in Russian"),
    "name_en": _("Name in English"),
    "kind": _("kind"),
    "region": _("region"),
    "city_ru": _("City (Russian)"),
    "city_en": _("City (English)"),
    "activities": _("types of work"),
    "description_ru": _("Description (Russian)"),
    "description_en": _("Description (English)"),
    "address_ru": _("Address (Russian)"),
    "address_en": _("Address (English)"),
    "postal_code": _("postal code"),
    "phones": _("Phones"),
    "email": _("email"),
    "website": _("website"),
}
# Written in the language of the page the visitor used.
LANGUAGE_FIELDS = ("city", "description", "address")
LIST_FIELDS = ("activities", "phones")


def public_organization(slug: str) -> Organization | None:
    """The published organization ``slug`` with its public contacts only (``public_*``)."""
    return (
        visibility.with_public_contacts(Organization.objects.published())
        .select_related("region")
        .prefetch_related("activities")
        .filter(slug=slug)
        .first()
    )


def public_values(organization: Organization) -> dict:
    """The values a visitor sees of ``organization`` (read by ``public_organization``),
    under the keys of ``SUGGESTED_FIELDS``; restricted contacts are empty."""
    values = _common_values(organization)
    values.update(
        address_ru=organization.public_address_ru or "",
        address_en=organization.public_address_en or "",
        postal_code=organization.public_postal_code or "",
        email=organization.public_email or "",
        phones=[
            phone.number
            for phone in sorted(organization.public_phones, key=lambda phone: phone.pk)
            if phone.kind != Phone.Kind.FAX
        ],
    )
    return values


def current_values(organization: Organization) -> dict:
    """Every value of ``organization`` as staff see it, under the keys of ``SUGGESTED_FIELDS``."""
    values = _common_values(organization)
    values.update(
        address_ru=organization.address_ru or "",
        address_en=organization.address_en or "",
        postal_code=organization.postal_code,
        email=organization.email,
        phones=[
            phone.number
            for phone in organization.phones.order_by("pk")
            if phone.kind != Phone.Kind.FAX
        ],
    )
    return values


def _common_values(organization: Organization) -> dict:
    return {
        "name_ru": organization.name_ru or "",
        "name_en": organization.name_en or "",
        "kind": organization.kind,
        "region": organization.region.slug if organization.region_id else "",
        "city_ru": organization.city_ru or "",
        "city_en": organization.city_en or "",
        "activities": sorted(activity.slug for activity in organization.activities.all()),
        "description_ru": organization.description_ru or "",
        "description_en": organization.description_en or "",
        "website": organization.website,
    }


def _comparable(key: str, value):
    if key == "activities":
        return sorted(value or [])
    if key == "phones":
        return list(value or [])
    return (value or "").strip() if isinstance(value, str) or value is None else value


def differences(proposed: dict, current: dict) -> dict:
    """The entries of ``proposed`` that differ from ``current`` (same keys)."""
    return {
        key: value
        for key, value in proposed.items()
        if key in SUGGESTED_FIELDS and _comparable(key, value) != _comparable(key, current.get(key))
    }


def display(key: str, value, *, kinds=None, regions=None, activities=None) -> str:
    """A value of ``key`` as a line of text for staff (labels for codes where known)."""
    if value in (None, "", []):
        return ""
    if key == "kind":
        return str((kinds or dict(Organization.Kind.choices)).get(value, value))
    if key == "region" and regions is not None:
        return str(regions.get(value, value))
    if key == "activities":
        names = activities or {}
        return ", ".join(sorted((str(names.get(slug, slug)) for slug in value), key=str.casefold))
    if key == "phones":
        return "\n".join(value)
    return str(value)


@dataclass(frozen=True)
class Row:
    """One line of a submission's comparison: a field, its value now, the value proposed."""

    key: str
    label: str
    current: str
    proposed: str
    changed: bool


def comparison(submission) -> list[Row]:
    """A submission field by field beside the organization as it is now (staff view).

    For a correction, every field, the proposed ones marked ``changed`` where they
    differ from the entry; for a new organization, the fields it proposes."""
    data = {key: value for key, value in (submission.data or {}).items() if key in SUGGESTED_FIELDS}
    organization = submission.organization if submission.kind == "correction" else None
    current = current_values(organization) if organization is not None else {}
    slugs = {data.get("region"), current.get("region")} - {None, ""}
    regions = {r.slug: in_language(r, "name")[0] for r in Region.objects.filter(slug__in=slugs)}
    wanted = set(data.get("activities") or []) | set(current.get("activities") or [])
    activities = {
        a.slug: in_language(a, "name")[0] for a in ActivityType.objects.filter(slug__in=wanted)
    }
    names = {"regions": regions, "activities": activities}
    rows = []
    for key, label in SUGGESTED_FIELDS.items():
        if organization is None and key not in data:
            continue
        now = display(key, current.get(key), **names)
        proposed = display(key, data[key], **names) if key in data else ""
        changed = key in data and _comparable(key, data[key]) != _comparable(key, current.get(key))
        rows.append(Row(key, str(label), now, proposed, changed))
    return rows


def duplicates_of(submission) -> list[Organization]:
    """Existing organizations that a new one suggested may duplicate (``directory.duplicates``)."""
    data = submission.data or {}
    candidate = Organization(
        **{key: data.get(key) or "" for key in ("name_ru", "name_en", "city_ru", "city_en")}
    )
    return likely_duplicates(candidate)

"""Helpers for the admin tests: staff users in a role, export-shaped CSV, DB snapshots."""

import csv
import importlib
import io

from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from directory import columns
from directory.models import Organization, OrganizationEvent, Phone
from listing.columns import csv_cells

PASSWORD = "a-long-Staff-passw0rd"

# The migrations that make the staff roles, each with the function that does it.
ROLE_MIGRATIONS = (
    ("0003_roles", "create_roles"),
    ("0017_event_source_roles", "grant"),
    ("0019_practice_submission_roles", "grant"),
)


def role_group(name: str) -> Group:
    """A role group as the migrations made it.

    A transactional test (a browser test, a live server) empties every table when it ends,
    the migrations' groups too. They are then made again by the migrations' own functions,
    each with the models as they were at its migration, so the rights are the real ones.
    """
    group = Group.objects.filter(name=name).first()
    if group is None:
        loader = MigrationLoader(connection)
        for migration, function in ROLE_MIGRATIONS:
            state = loader.project_state(("directory", migration), at_end=True)
            module = importlib.import_module(f"directory.migrations.{migration}")
            getattr(module, function)(state.apps, None)
        group = Group.objects.get(name=name)
    return group


def staff_user(username: str, *, group: str | None = None, superuser: bool = False) -> User:
    """A real staff account, optionally in one of the migration's groups."""
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    if group:
        user.groups.add(role_group(group))
    return user


def export_csv(lang: str, queryset=None, *, public: bool = True) -> bytes:
    """The public export's CSV (UTF-8 with BOM, CRLF) built with the shared columns."""
    queryset = Organization.objects.published() if queryset is None else queryset
    context = columns.ExportContext(lang=lang, base_url="http://testserver", public=public)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns.headers(lang))
    for organization in columns.export_queryset(queryset.order_by("pk")):
        writer.writerow(csv_cells(columns.organization_row(organization, context), columns.COLUMNS))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def snapshot() -> dict:
    """Every organization, phone and event with all fields, the types of work and
    sources of each organization, and the size of their history (the untranslated
    ``name`` that ``values()`` reads in one language, whichever a request left active)."""
    with translation.override("en"):
        return _snapshot()


def _snapshot() -> dict:
    return {
        "organizations": list(Organization.objects.order_by("pk").values()),
        "activities": list(
            Organization.activities.through.objects.order_by("pk").values_list(
                "organization_id", "activitytype_id"
            )
        ),
        "phones": list(Phone.objects.order_by("pk").values()),
        "sources": list(
            Organization.sources.through.objects.order_by("pk").values_list(
                "organization_id", "source_id"
            )
        ),
        "events": list(OrganizationEvent.objects.order_by("pk").values()),
        "history": (
            Organization.history.count(),
            Phone.history.count(),
            OrganizationEvent.history.count(),
        ),
    }


def form_data(response, **changes) -> dict:
    """The POST data of the admin form in ``response`` as it stands, plus ``changes``."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            # As the widget renders it: a date known to a month is typed back as "1997-01".
            data[name] = str(form.fields[name].prepare_value(value))
    for inline in response.context.get("inline_admin_formsets") or []:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data

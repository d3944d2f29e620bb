"""Existing rows keep their data under the new model of dated facts.

- every ``founded`` year becomes a public ``founded`` event known to the year;
- an active organization with a founding year is active since that year;
- ``contacts_as_of`` starts as ``last_verified`` (to the day) where that is set:
  the contacts were as recorded on the day the entry was checked;
- rows the demo generator made (slugs starting "synthetic-") are flagged ``is_demo``.

``status`` and ``last_verified`` are left as they are: no event says otherwise yet.
Written with the historical models only (a migration imports no project module).
"""

import datetime

from django.db import migrations

DEMO_PREFIX = "synthetic-"


def forwards(apps, schema_editor):
    Organization = apps.get_model("directory", "Organization")
    OrganizationEvent = apps.get_model("directory", "OrganizationEvent")
    Person = apps.get_model("directory", "Person")
    db = schema_editor.connection.alias

    founded = Organization.objects.using(db).filter(founded__isnull=False)
    events = [
        OrganizationEvent(
            organization_id=pk, kind="founded", date=datetime.date(year, 1, 1),
            date_precision="year", is_public=True,
        )
        for pk, year in founded.values_list("pk", "founded").iterator(chunk_size=2000)
    ]  # fmt: skip
    OrganizationEvent.objects.using(db).bulk_create(events, batch_size=1000)

    active = founded.filter(status="active")
    for pk, year in active.values_list("pk", "founded").iterator(chunk_size=2000):
        Organization.objects.using(db).filter(pk=pk).update(
            status_since=datetime.date(year, 1, 1), status_since_precision="year"
        )
    for pk, day in (
        Organization.objects.using(db)
        .filter(last_verified__isnull=False)
        .values_list("pk", "last_verified")
        .iterator(chunk_size=2000)
    ):
        Organization.objects.using(db).filter(pk=pk).update(
            contacts_as_of=day, contacts_as_of_precision="day"
        )
    for model in (Organization, Person):
        model.objects.using(db).filter(slug__startswith=DEMO_PREFIX).update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [("directory", "0014_trustworthy_records")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

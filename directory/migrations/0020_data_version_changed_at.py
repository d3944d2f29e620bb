"""The time of the data's last change, written with the data version's number.

The existing row gets this migration's time: the last change is no later than now, so
a ``Last-Modified`` of this time never makes a client keep a file older than the data
(it may only ask for an unchanged file once more). Every write after it stamps its own.
"""

from django.db import migrations, models
from django.utils import timezone


def stamp(apps, schema_editor):
    version = apps.get_model("directory", "DataVersion")
    version.objects.filter(changed_at__isnull=True).update(changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0019_practice_submission_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="changed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last change"),
        ),
        migrations.RunPython(stamp, migrations.RunPython.noop),
    ]

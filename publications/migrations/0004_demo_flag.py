"""Publications the demo generator made (slugs starting "synthetic-") are flagged
``is_demo``. Written with the historical models only."""

from django.db import migrations

DEMO_PREFIX = "synthetic-"


def forwards(apps, schema_editor):
    Publication = apps.get_model("publications", "Publication")
    db = schema_editor.connection.alias
    Publication.objects.using(db).filter(slug__startswith=DEMO_PREFIX).update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [("publications", "0003_trustworthy_records")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

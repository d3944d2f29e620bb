"""The staff roles of 0003 for the models added since: sources and organizations' events.

0003 gave Editors every permission of each model that existed then, and Viewers the
view permissions; roles are granted per model, so a new model is in no role until a
migration adds it. No schema change.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("source", "organizationevent")


def _permissions(apps):
    # Permissions are normally created after migrate; the groups need them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="directory", content_type__model__in=MODELS
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*permissions.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=["Editors", "Viewers"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0016_restore_list_indexes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

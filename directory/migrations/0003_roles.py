"""The two staff roles: Editors change everything and import; Viewers only look."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("directory", "publications")
IMPORT_CODENAME = "import_organizations"


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    organization_type = ContentType.objects.get(app_label="directory", model="organization")
    import_permission, _ = Permission.objects.get_or_create(
        content_type=organization_type,
        codename=IMPORT_CODENAME,
        defaults={"name": "Can import organizations from CSV"},
    )
    models = [
        model._meta.model_name
        for app_label in APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]
    own = Permission.objects.filter(
        content_type__app_label__in=APPS, content_type__model__in=models
    ).exclude(codename=IMPORT_CODENAME)

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*own, import_permission)
    viewers, _ = Group.objects.get_or_create(name="Viewers")
    viewers.permissions.add(*own.filter(codename__startswith="view_"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Viewers"]).delete()
    apps.get_model("auth", "Permission").objects.filter(codename=IMPORT_CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0002_history"),
        ("publications", "0002_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

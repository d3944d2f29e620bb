"""The staff roles of 0003 for the models of 0018.

Editors: practical experience and public submissions in full (they moderate), and the
log of messages to organizations read-only (it is written by the site alone).
Viewers: practical experience read-only; submissions and the message log hold
personal data (submitters' names and addresses, hashed senders) and stay with editors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = {
    "practice": ("add", "change", "delete", "view"),
    "submission": ("add", "change", "delete", "view"),
    "contactmessage": ("view",),
}
VIEWERS = {"practice": ("view",)}


def _permissions(apps, grants):
    # Permissions are normally created after migrate; the groups need them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
    return list(
        Permission.objects.filter(content_type__app_label="directory", codename__in=codenames)
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, grants in (("Editors", EDITORS), ("Viewers", VIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, grants))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, grants in (("Editors", EDITORS), ("Viewers", VIEWERS)):
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*_permissions(apps, grants))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("directory", "0018_practices_messages_submissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

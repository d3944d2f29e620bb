from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import events, freshness, search_index

        # An organization's status and founding year follow its public events.
        events.connect_signals()

        # Cached public reads are keyed by a number every write bumps.
        freshness.connect_signals()

        # SQLite drops triggers when Django rebuilds a table: restore the search index's.
        post_migrate.connect(search_index.on_post_migrate, sender=self)

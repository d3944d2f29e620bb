from django.apps import AppConfig


class SitedataConfig(AppConfig):
    """The site's data as a whole, on top of every app: it may import them all, none imports it.

    Loading the sample data, recomputing derived fields, the seeded demo generator and the
    whole-site benchmarks each span ``directory`` and ``publications``. In ``directory``
    they made it import ``publications``, which is built on it (an import cycle); a
    registry each app fills would split the generator's one seeded random stream across
    apps for no gain. The sitemap (``sitemaps.py``, served by the root URLconf) lists
    the public pages of every app. No models.
    """

    name = "sitedata"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate

        # After every ``migrate``: what rows derive (search text, status from events ...)
        # as the code now derives it, so a release that changes a derivation keeps every
        # existing row right without a migration importing project code.
        # Sent per app with models (this one has none): once, with the last public app's.
        post_migrate.connect(_rebuild_after_migrate, sender=apps.get_app_config("publications"))


def _rebuild_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    from .services import rebuild_derived_fields

    # Only when migrations ran (``flush`` in tests also sends the signal, with no plan),
    # and only up to the latest schema: the code derives for today's tables, which an
    # older target (``migrate directory 0016``) does not have.
    if using != DEFAULT_DB_ALIAS or not plan:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    rebuild_derived_fields()

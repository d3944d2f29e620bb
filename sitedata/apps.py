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

"""Process-wide settings of a rightsnet server process (gunicorn worker)."""

import gc

# Collections of the youngest generation every 50,000 new objects instead of 700.
GC_THRESHOLDS = (50_000, 20, 20)


def tune_garbage_collector() -> None:
    """Keep Python's cycle collector off Django's own long-lived objects.

    Called once per server process after Django has loaded (``rightsnet/wsgi.py``),
    and by the benchmarks, which measure the server as it is deployed. ``gc.freeze()``
    moves every object loaded so far (Django, the apps, the settings) out of the
    collector's reach, and a higher first threshold lets a request's short-lived
    objects die by reference counting before a collection looks at them. Both are
    common settings for web servers; the collector still runs. Measured on the
    organizations list: about a tenth of the server time (see the README's benchmarks).
    """
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()

"""The one rule for a link made from data: only http, https and mailto addresses.

Whatever the database holds (a data migration, a shell, a future API can store a
value the form would refuse), a website is shown as a link, given to JSON-LD or
written to an export's URL column only when ``safe_url`` passes it: the value
must begin with ``http://``, ``https://`` or ``mailto:`` (any case, nothing before
it). Anything else — ``javascript:``, ``data:``, ``vbscript:``, a scheme hidden by
leading spaces or control characters or broken by a tab (``java\tscript:``, which
browsers read as ``javascript:``), a relative path — is no link at all.
"""

import re

SAFE_SCHEMES = ("http", "https", "mailto")

# ASCII only: with Unicode case folding "ſ" (U+017F) would match "s".
_SAFE_START = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE | re.ASCII).match


def safe_url(value: str | None) -> str:
    """``value`` unchanged if it is an http, https or mailto address, else ``""``."""
    if value and _SAFE_START(value):
        return value
    return ""

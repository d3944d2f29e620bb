"""The published data's licence and how to cite it: one accessor for every file and page.

The licence is a setting (``DATA_LICENCE_NAME``, ``DATA_LICENCE_URL``; default CC BY
4.0, overridable from the environment in ``rightsnet/settings.py``). The data page,
the spreadsheet's "About this file" sheet, the data package and the snapshot's README
read it here, and cite the data with ``citation()``::

    licence()                    # Licence(name="CC BY 4.0", url="https://creativecommons...")
    citation("en", title="Organizations", url="https://example.org/en/organizations/")
    # "rightsnet, directory of human rights organizations, Organizations,
    #  https://example.org/en/organizations/, accessed 2026-11-30."
    # ru: "rightsnet: справочник правозащитных организаций. Организации.
    #  https://example.org/ru/organizations/ (дата обращения: 30.11.2026)."
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.translation import pgettext


class Licence(NamedTuple):
    name: str
    url: str


def licence() -> Licence:
    """The data's licence, as the settings name it."""
    return Licence(settings.DATA_LICENCE_NAME, settings.DATA_LICENCE_URL)


def citation(
    lang: str, *, title: str = "", url: str = "", accessed: datetime.date | None = None
) -> str:
    """A suggested citation in ``lang``: the directory, the list or file (``title``),
    its address and the day it was read (today by default)."""
    accessed = accessed or timezone.localdate()
    with translation.override(lang):
        parts = [pgettext("citation", "rightsnet, directory of human rights organizations")]
        parts += [str(part) for part in (title, url) if part]
        text = pgettext("citation separator", ", ").join(parts)
        date = dateformat.format(accessed, pgettext("citation date format", "Y-m-d"))
        return pgettext("citation", "%(text)s, accessed %(date)s.") % {"text": text, "date": date}

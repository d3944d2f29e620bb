"""The site's two languages: which one is current, and text that is missing in it.

Every reader of the current language and every bilingual fallback goes through here:
``current_language()`` and ``in_language()`` ("this language, else the other, marked").
How the fallback is *shown* (a span with its ``lang`` and a note) is the template
tag's job (``directory/templatetags/rightsnet.py``); the rule is this module's.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext_lazy

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
_LANGUAGE_NAMES = {
    "ru": pgettext_lazy("language of a text", "Russian"),
    "en": pgettext_lazy("language of a text", "English"),
}


def current_language(language: str | None = None) -> str:
    """``language`` if given, else the active one, as a bare code: "ru" or "en"."""
    return (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def other_language(language: str) -> str:
    """The site's other language."""
    return next(code for code in LANGUAGE_CODES if code != language)


def in_language(obj, field: str, language: str | None = None) -> tuple[str, str]:
    """``(text, lang)`` of a translated field: ``field_<language>`` when it has text
    (``lang`` is then ""), else the first other language's text with that language's
    code, else ("", "")."""
    language = current_language(language)
    value = getattr(obj, f"{field}_{language}", None) or ""
    if value:
        return value, ""
    for code in LANGUAGE_CODES:
        if code != language:
            value = getattr(obj, f"{field}_{code}", None) or ""
            if value:
                return value, code
    return "", ""


def language_name(code: str) -> str:
    """ "ru" -> "Russian" in the interface language; an unknown code is shown as is."""
    return _LANGUAGE_NAMES.get((code or "").lower(), code)

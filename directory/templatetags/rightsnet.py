"""Template helpers shared by every public page."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _fallback_note(language: str) -> str:
    if language == "ru":
        return gettext("(in Russian)")
    return gettext("(in English)")


@register.simple_tag
def tr(obj, field: str, note: bool = True):
    """A translated field in the current language, or the other one, marked.

    Where the current language is empty and another has text, the text is
    wrapped in a span with its own ``lang`` and, unless ``note=False``, a
    discreet "(in Russian)" note follows.
    """
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    value = getattr(obj, f"{field}_{current}", None)
    if value:
        return value
    for language in LANGUAGE_CODES:
        if language == current:
            continue
        value = getattr(obj, f"{field}_{language}", None)
        if value:
            if not note:
                return format_html('<span lang="{}">{}</span>', language, value)
            return format_html(
                '<span lang="{}">{}</span> <small class="fallback-note">{}</small>',
                language,
                value,
                _fallback_note(language),
            )
    return ""


@register.simple_tag
def tr_text(obj, field: str) -> str:
    """The plain text of a translated field, current language first (for attributes)."""
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for language in [current, *LANGUAGE_CODES]:
        value = getattr(obj, f"{field}_{language}", None)
        if value:
            return value
    return ""

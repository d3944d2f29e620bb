"""The result cards of the organizations list, rendered in Python.

A page shows 50 cards; as a template included per card they took three quarters of
the page's rendering time (some 40 variable lookups, a dozen tags and two
``get_FOO_display`` calls per card, each of which translates every choice). This
tag writes the same markup, escaped the same way (``format_html`` and the
template filters themselves), with the choice labels translated once per page.
"""

from django import template
from django.template.defaultfilters import striptags, truncatewords
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from directory.models import Organization, Phone

from .rightsnet import (
    LANGUAGE_CODES,
    _fallback_note,
    current_language,
    translated,
    translated_text,
)

register = template.Library()


@register.simple_tag
def org_cards(organizations):
    """``<li class="result">`` for each organization, the markup of a result card."""
    kinds = {value: conditional_escape(str(label)) for value, label in Organization.Kind.choices}
    statuses = {
        value: conditional_escape(str(label)) for value, label in Organization.Status.choices
    }
    phone_kinds = {value: conditional_escape(str(label)) for value, label in Phone.Kind.choices}
    founded_in = gettext("founded in %(year)s")
    current = current_language()
    notes = {code: _fallback_note(code) for code in LANGUAGE_CODES if code != current}

    def tr(obj, field, note=True):
        return translated(obj, field, current=current, note=note, notes=notes)

    def tr_text(obj, field):
        return translated_text(obj, field, current=current)

    # Organization.get_absolute_url() for every card with one reverse() (slugs need no quoting).
    url_start, url_end = reverse(
        "directory:organization_detail", kwargs={"slug": _SLUG_MARKER}
    ).split(_SLUG_MARKER)

    def url(org):
        return url_start + org.slug + url_end

    labels = (kinds, statuses, phone_kinds, founded_in)
    return mark_safe("".join(_card(org, url, tr, tr_text, *labels) for org in organizations))


_SLUG_MARKER = "slug-marker-0"


def _card(org, url, tr, tr_text, kinds, statuses, phone_kinds, founded_in) -> str:
    esc = conditional_escape
    region = org.region
    city = tr_text(org, "city")
    parts = [format_html('<li class="result">\n<h2><a href="{}">{}</a>', url(org), tr(org, "name"))]
    if org.short_name_ru or org.short_name_en:
        parts.append(
            format_html(' <span class="meta">({})</span>', tr(org, "short_name", note=False))
        )
    parts.append('</h2>\n<p class="meta">')
    parts.append(kinds.get(org.kind, esc(org.kind)))
    if region:
        parts.append(" · " + esc(tr(region, "name", note=False)))
    if city and city != tr_text(region, "name"):
        parts.append(", " + esc(tr(org, "city", note=False)))
    if org.founded:
        parts.append(" · " + founded_in % {"year": esc(org.founded)})
    if org.status != "active":
        parts.append(
            format_html(
                ' · <span class="status-{}">{}</span>',
                org.status,
                statuses.get(org.status, org.status),
            )
        )
    parts.append("</p>\n")
    description = tr(org, "description", note=False)
    if description:
        parts.append("<p>" + esc(truncatewords(striptags(description), 10)) + "</p>")
    parts.append("\n")
    activities = org.public_activities
    if activities:
        names = ", ".join(esc(tr(activity, "name", note=False)) for activity in activities)
        parts.append('<p class="meta">' + names + "</p>")
    parts.append("\n")
    email, phones = org.public_email, org.public_phones
    if email or phones:
        parts.append('<p class="meta">')
        shown = phones[:2]
        for i, phone in enumerate(shown):
            parts.append(phone_kinds.get(phone.kind, esc(phone.kind)) + " " + esc(phone.number))
            if i < len(shown) - 1 or email:
                parts.append(" · ")
        if email:
            parts.append(format_html('<a href="mailto:{}">{}</a>', email, email))
        parts.append("</p>")
    parts.append("\n</li>\n")
    return "".join(parts)

"""Template helpers shared by every public page."""

import json
import re
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from rightsnet.i18n import in_language, language_name
from rightsnet.links import safe_url

from .. import dates

register = template.Library()


def _fallback_note(language: str) -> str:
    if language == "ru":
        return gettext("(in Russian)")
    return gettext("(in English)")


def translated(obj, field: str, *, note: bool = True, language: str | None = None):
    """A translated field in ``language`` (default: the current one), or the other
    language's text (``rightsnet.i18n.in_language``) in a span with its own ``lang``
    followed, unless ``note`` is false, by a discreet "(in Russian)" note."""
    text, lang = in_language(obj, field, language)
    if not lang:
        return text
    if not note:
        return format_html('<span lang="{}">{}</span>', lang, text)
    return format_html(
        '<span lang="{}">{}</span> <small class="fallback-note">{}</small>',
        lang,
        text,
        _fallback_note(lang),
    )


@register.simple_tag
def tr(obj, field: str, note: bool = True):
    """A translated field in the current language, or the other one, marked."""
    return translated(obj, field, note=note)


@register.simple_tag
def tr_text(obj, field: str) -> str:
    """The plain text of a translated field, current language first (for attributes)."""
    return in_language(obj, field)[0]


# The same escapes as django.utils.html.json_script: no "</script>" or "<!--"
# can survive inside the script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_PHONE_ORDER = ["tel", "mobile", "fax"]


def ld_json_script(data: dict, *, nonce: str = "") -> str:
    """A ``<script type="application/ld+json">`` element, safely escaped.

    ``nonce`` is the response's Content-Security-Policy nonce (``request.csp_nonce``).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
    return format_html(
        '<script type="application/ld+json"{}>{}</script>',
        format_html(' nonce="{}"', nonce) if nonce else "",
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped above
    )


@register.simple_tag(takes_context=True)
def organization_json_ld(context, organization, contacts) -> str:
    """schema.org data for an organization: public sources, and public contact fields
    only while ``contacts`` (``directory.contacts.of(organization)``) are current."""
    request = context.get("request")
    url = organization.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "NGO" if organization.kind in {"group", "ngo", "network"} else "Organization",
        "name": tr_text(organization, "name"),
        "url": request.build_absolute_uri(url) if request else url,
    }
    names = {
        value
        for value in (
            organization.name_ru,
            organization.name_en,
            organization.short_name_ru,
            organization.short_name_en,
        )
        if value and value != data["name"]
    }
    if names:
        data["alternateName"] = sorted(names)
    website = safe_url(organization.website)
    if website:
        data["sameAs"] = website
    if organization.founded:
        data["foundingDate"] = str(organization.founded)
    if organization.region_id:
        data["areaServed"] = {
            "@type": "AdministrativeArea",
            "name": tr_text(organization.region, "name"),
        }
    if not contacts.historical:
        data.update(_contact_points(organization))
    sources = getattr(organization, "public_sources", [])
    if sources:
        data["subjectOf"] = [source_json_ld(source) for source in sources]
    # str() makes django-csp's lazy nonce, which then goes into this response's header.
    nonce = getattr(request, "csp_nonce", None)
    return ld_json_script(data, nonce=str(nonce) if nonce is not None else "")


def _contact_points(organization) -> dict:
    """The address, phones and email of the JSON-LD: the public ones."""
    data = {}
    address = public_address(organization)
    if address or getattr(organization, "public_postal_code", ""):
        postal = {"@type": "PostalAddress"}
        if address:
            postal["streetAddress"] = address
        if organization.public_postal_code:
            postal["postalCode"] = organization.public_postal_code
        city = tr_text(organization, "city")
        if city:
            postal["addressLocality"] = city
        data["address"] = postal
    phones = getattr(organization, "public_phones", [])
    telephones = [phone.number for phone in phones if phone.kind != "fax"]
    faxes = [phone.number for phone in phones if phone.kind == "fax"]
    if telephones:
        data["telephone"] = telephones[0] if len(telephones) == 1 else telephones
    if faxes:
        data["faxNumber"] = faxes[0] if len(faxes) == 1 else faxes
    if getattr(organization, "public_email", ""):
        data["email"] = organization.public_email
    return data


def source_json_ld(source) -> dict:
    """A public source as a schema.org work about the entry (its date is left out: the data
    does not say whether it is a publication or a last-update date)."""
    work = {"@type": "CreativeWork", "name": tr_text(source, "title")}
    publisher = tr_text(source, "publisher")
    if publisher:
        work["publisher"] = {"@type": "Organization", "name": publisher}
    url = safe_url(source.url)
    if url:
        work["url"] = url
    return work


def public_address(organization) -> str:
    """The public address in the current language, else the other one (plain text)."""
    return in_language(organization, "public_address")[0]


@register.simple_tag
def tr_public_address(organization) -> str:
    """Like ``tr`` for the annotated public address (empty when contacts are staff-only)."""
    return translated(organization, "public_address")


@register.simple_tag
def phones_by_kind(phones) -> list[tuple[str, list]]:
    """``[(label, [phone, ...]), ...]``: telephones, then mobiles, then faxes."""
    from directory.models import Phone

    labels = dict(Phone.Kind.choices)
    groups = []
    for kind in _PHONE_ORDER:
        numbers = [phone for phone in phones if phone.kind == kind]
        if numbers:
            groups.append((labels[kind], numbers))
    return groups


@register.simple_tag
def search_example(query: str, finds: str, lang: str = "") -> str:
    """A link to the organization search for ``query``, marked as an example that finds
    the organization whose slug is ``finds``.

    ``data-finds`` holds that organization's address: tests/test_search_examples.py
    follows every marked link of the site's pages and checks the claim on the sample data.
    """
    return format_html(
        '<a href="{}?{}" data-search-example data-finds="{}"{}>{}</a>',
        reverse("directory:organization_list"),
        urlencode({"q": query}),
        reverse("directory:organization_detail", kwargs={"slug": finds}),
        format_html(' lang="{}"', lang) if lang else "",
        query,
    )


# A website or other address from data as an href: "" unless http, https or mailto.
register.filter("safe_url", safe_url)


register.filter("language_name", language_name)


@register.filter
def tel_href(number: str) -> str:
    """A ``tel:`` URL: digits and a leading plus only."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"


@register.simple_tag
def org_place(organization) -> str:
    """ "Region, city" for a list item, the city left out when it repeats the region."""
    region = tr(organization.region, "name", note=False) if organization.region_id else ""
    city = tr(organization, "city", note=False)
    if region and city and strip_tags(str(city)) != strip_tags(str(region)):
        return format_html("{}, {}", region, city)
    return conditional_escape(region or city)


# A blank line (spaces and tabs allowed) ends a paragraph or a list.
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_LIST_ITEM = "- "


@register.filter
def plain_text(text) -> SafeString:
    """Plain text typed by staff as HTML: paragraphs split on blank lines, consecutive
    lines starting with "- " a list, other line breaks kept; every character escaped,
    so HTML in the text is shown as typed and never runs."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    html = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        # Runs of list items and of other lines, in order.
        runs: list[tuple[bool, list[str]]] = []
        for line in lines:
            item = line.startswith(_LIST_ITEM)
            if item:
                line = line[len(_LIST_ITEM) :].strip()
            if runs and runs[-1][0] == item:
                runs[-1][1].append(line)
            else:
                runs.append((item, [line]))
        for item, run in runs:
            if item:
                html.append(
                    format_html(
                        "<ul>{}</ul>",
                        format_html_join("", "<li>{}</li>", ((line,) for line in run)),
                    )
                )
            else:
                html.append(
                    format_html("<p>{}</p>", mark_safe("<br>".join(escape(line) for line in run)))
                )  # noqa: S308 - each line escaped
    return mark_safe("\n".join(html))  # noqa: S308 - built of escaped parts


@register.simple_tag
def tr_plain_text(obj, field: str) -> SafeString:
    """``plain_text`` of a translated field, current language first; text in the other
    language is marked with its ``lang`` and a "(in Russian)" note."""
    text, lang = in_language(obj, field)
    html = plain_text(text)
    if not lang:
        return html
    return format_html(
        '<div lang="{}">{}</div><p><small class="fallback-note">{}</small></p>',
        lang,
        html,
        _fallback_note(lang),
    )


@register.simple_tag
def period(start, end) -> str:
    """``directory.dates.period`` in the current language: "1992–1994", "since January 1997"."""
    return dates.period(start, end)

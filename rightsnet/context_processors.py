"""Template context shared by every public page: language alternates and canonical URL."""

from urllib.parse import urlsplit, urlunsplit

from django.urls import translate_url

from rightsnet.i18n import LANGUAGE_CODES, current_language

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}


def strip_language(path: str) -> str:
    """``/ru/organizations/`` -> ``/organizations/`` (the path LocaleMiddleware redirects)."""
    for code in LANGUAGE_CODES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
        if path == f"/{code}":
            return "/"
    return path


def url_in_language(full_path: str, language: str) -> str:
    """The same page and query string in ``language``.

    ``translate_url`` handles every resolvable URL; an unresolvable one (a 404)
    still gets its language prefix swapped so the switcher never leads nowhere.
    """
    translated = translate_url(full_path, language)
    parts = urlsplit(translated)
    if not parts.path.startswith(f"/{language}/"):
        path = f"/{language}" + strip_language(parts.path)
        translated = urlunsplit(("", "", path, parts.query, ""))
    return translated


def alternates(request):
    """Links to this page in every language, ``x-default`` and the canonical URL."""
    if request is None:
        return {}
    full_path = request.get_full_path()
    current = current_language()
    links = []
    for code in LANGUAGE_CODES:
        url = url_in_language(full_path, code)
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    parts = urlsplit(full_path)
    default_path = urlunsplit(("", "", strip_language(parts.path), parts.query, ""))
    canonical = next((link["absolute_url"] for link in links if link["current"]), None)
    return {
        "language_links": links,
        "other_language_links": [link for link in links if not link["current"]],
        "x_default_url": request.build_absolute_uri(default_path),
        "canonical_url": canonical or request.build_absolute_uri(full_path),
    }

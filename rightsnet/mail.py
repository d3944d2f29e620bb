"""Email settings from one address: ``DJANGO_EMAIL_URL``.

- ``smtp://user:password@host:587`` — SMTP with STARTTLS (the default on 587 and 25);
  ``smtps://user:password@host:465`` — SMTP over TLS; ``smtp://host:25?tls=off`` —
  plain SMTP (a relay on the same machine). User and password are URL-encoded.
- ``console:`` — printed on the server's output.
- ``file:///path/to/folder`` — one file per message in that folder.
- nothing set — files in ``var/mail/`` of the project, so ``make run`` works on a bare
  machine and a developer can read what the site sent.

A malformed address stops the start-up with a message naming the variable.
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}


def email_settings(url: str, *, default_folder: Path) -> dict:
    """The Django EMAIL_* settings that ``url`` describes ("" means the default folder)."""
    url = url.strip()
    if not url:
        return {"EMAIL_BACKEND": BACKENDS["file"], "EMAIL_FILE_PATH": str(default_folder)}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_URL must start with smtp://, smtps://, console: or file://, "
            f"not {url.split(':')[0]!r}."
        )
    if scheme == "console":
        return {"EMAIL_BACKEND": BACKENDS["console"]}
    if scheme == "file":
        folder = unquote(parts.path)
        if not folder:
            raise ImproperlyConfigured("DJANGO_EMAIL_URL file:// needs a folder: file:///var/mail.")
        return {"EMAIL_BACKEND": BACKENDS["file"], "EMAIL_FILE_PATH": folder}
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL has a port that is not a number.") from None
    if not host:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL needs a host: smtp://user:password@host:587.")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    ssl = scheme == "smtps"
    port = port or (465 if ssl else 587)
    timeout = query.get("timeout", "10")
    if not timeout.isdigit() or int(timeout) == 0:
        raise ImproperlyConfigured("DJANGO_EMAIL_URL ?timeout= must be a number of seconds.")
    timeout = int(timeout)
    tls = not ssl and query.get("tls", "on") not in {"off", "0", "false", "no"}
    return {
        "EMAIL_BACKEND": BACKENDS[scheme],
        "EMAIL_HOST": host,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": timeout,
    }

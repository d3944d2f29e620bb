"""gzip for the public pages and exports, never for a response that reflects a secret.

Compression is done by the app, so it works under gunicorn alone (``make serve``) as
behind any proxy. WhiteNoise answers static files before this middleware runs and
serves its own precompressed (Brotli, gzip) files.

BREACH: a compressed response's length tells an attacker who can inject text into it
(a search box, a query string) whether a guess matches a secret elsewhere in the same
body. So a response is compressed only when it depends on nothing of the visitor's:

- not under the admin (``settings.ADMIN_URL``);
- it sets no cookie (a CSRF token handed out, a session saved, messages read);
- it does not vary on ``Cookie``: Django adds ``Vary: Cookie`` when a template used a
  CSRF token (``{% csrf_token %}``, whose secret is in the cookie) and when the view
  read the session (the user, messages). The public's forms carry a CSRF token, so the
  contact and suggest pages are never compressed; the lists, pages and exports read no
  cookie.

The CSP nonce in a page is new in every response, so there is nothing for BREACH to
recover from it. The rule reads the finished response, so this middleware sits
directly after WhiteNoise, outside every middleware that sets a cookie or a ``Vary``.

Streamed exports are compressed as they leave: each piece (500 rows) is flushed with
``Z_SYNC_FLUSH``, so it reaches the reader as soon as it is made, and when an export
fails midway its explicit error line is in the compressed bytes before the abort
(Django's own ``compress_sequence`` keeps zlib's buffer and would lose it).
"""

import zlib
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

COMPRESSED_TYPES = (
    "text/html",
    "text/csv",
    "text/plain",
    "text/xml",
    "application/json",
    "application/ld+json",
    "application/xml",
)
LEVEL = 6  # Django's and most servers' default: close to 9's size at a third of its time


def reflects_secret(request, response) -> bool:
    """Whether the response may hold something of this visitor's (see the module's doc)."""
    if request.path_info.startswith("/" + settings.ADMIN_URL):
        return True
    if response.cookies:
        return True
    vary = response.get("Vary", "")
    return any(field.strip().lower() == "cookie" for field in vary.split(","))


def may_compress(request, response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        content_type in COMPRESSED_TYPES
        and not response.has_header("Content-Encoding")
        and not reflects_secret(request, response)
    )


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` names gzip with a weight above 0 (``gzip;q=0`` refuses)."""
    for coding in accept_encoding.split(","):
        name, _semicolon, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            weight = params.strip().lower().removeprefix("q=").strip() if params else "1"
            try:
                return float(weight) > 0
            except ValueError:
                return False
    return False


def gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """One gzip stream of ``chunks``, each flushed as soon as it is compressed."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for chunk in chunks:
        data = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
        if data:
            yield data
    yield compressor.flush()


class PublicGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware`` for the responses ``may_compress`` allows.

    Whole responses as Django does them (small bodies left alone, random bytes in the
    gzip header against BREACH, a strong ETag made weak); streams by ``gzip_stream``.
    ``Accept-Encoding`` is read with its weights (Django's test ignores ``gzip;q=0``).
    """

    def process_response(self, request, response):
        if not may_compress(request, response) or (response.streaming and response.is_async):
            return response
        if not response.streaming and len(response.content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        if response.streaming:
            response.streaming_content = gzip_stream(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            compressed = compress_string(response.content, max_random_bytes=self.max_random_bytes)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

"""Security headers on every response: Content-Security-Policy and Permissions-Policy.

The Content-Security-Policy (``settings.CONTENT_SECURITY_POLICY``) is written by
django-csp's middleware on every response that passes through Django (public pages,
the admin, error pages), with a fresh nonce where a template asked for one (the
JSON-LD block). WhiteNoise answers static files before the middleware runs, so
``static_file_headers`` gives them the same policy (without a nonce) and the same
Permissions-Policy.
"""

import re

# Browser features the site never uses, denied to it and to anything it might embed.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def static_file_headers(headers, path: str, url: str) -> None:
    """WhiteNoise's ``add_headers_function``: the site's policies on static files too."""
    from csp.utils import build_policy  # settings are loaded by the time files are served

    headers["Content-Security-Policy"] = build_policy()
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


def without_nonce(content: bytes) -> bytes:
    """A page's bytes without its nonce attributes, which are new in every response.

    For comparing two renderings of one page (a cached block against a fresh one).
    """
    return re.sub(rb' nonce="[^"]*"', b"", content)

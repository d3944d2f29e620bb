"""Login throttling (django-axes) that a stranger cannot turn against a staff member.

Failures count per (username, client address): five wrong passwords for an account
from one address lock only that pair. A second, higher limit counts failures per
address across every username, so one address cannot try many accounts. The client
address is read behind ``TRUSTED_PROXY_COUNT`` reverse proxies, never from a header
hop that no trusted proxy wrote.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """The address of whoever sent ``request``, as the trusted proxies saw it.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, and the last proxy is REMOTE_ADDR. With N trusted proxies the
    client is therefore the N-th entry from the right; anything to its left was
    written by the client and is ignored. With no trusted proxy, or a chain shorter
    than expected (the request did not come through them), REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    chain = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [entry for entry in chain if entry]
    if len(chain) < hops:
        return remote
    candidate = chain[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler plus a limit on failures per address."""

    def get_failures(self, request, credentials=None) -> int:
        # The pair's own count (AXES_LOCKOUT_PARAMETERS); at the address-wide limit,
        # every username from that address counts as locked.
        failures = super().get_failures(request, credentials)
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures


class RequestAxesBackend(AxesStandaloneBackend):
    """Throttles every login that comes with a request; skips the rest.

    Login forms (the admin's included) always pass the request. Calls without
    one (``Client.login`` in tests, scripts) cannot be tied to an address, and
    the stock backend would refuse them with an exception.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

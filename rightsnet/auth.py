"""Authentication backend: django-axes login throttling for requests only."""

from axes.backends import AxesStandaloneBackend


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

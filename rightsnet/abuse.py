"""Abuse protection for the forms the public sends: messages to groups, suggestions.

No third-party service sees the visitor. Four checks, in this order, each with a
translated message and never an error page:

- CSRF (Django's middleware; the templates carry the token);
- a honeypot field that people never see and programs fill in (``GuardedForm``);
- a minimum fill time and a maximum age, from a signed start time in the form;
- limits per client address, per sender address and per receiving organization over
  Django's cache (``over_limit``): Redis in production, so every app server counts
  the same window.

Size limits are the forms' own ``max_length``s.
"""

import hashlib
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .auth import client_address

_SALT = "rightsnet.abuse.started"


def sender_hash(address: str) -> str:
    """A keyed hash of an email address: the same sender gives the same hash, and the
    address cannot be read back from it (``SECRET_KEY`` is the key)."""
    normalized = address.strip().lower().encode()
    return hashlib.blake2b(
        normalized, key=settings.SECRET_KEY.encode()[:64], digest_size=16
    ).hexdigest()


class GuardedForm(forms.Form):
    """A form with a honeypot and a signed start time; ``clean`` refuses what a
    person would not send: the hidden field filled in, or the form sent too fast."""

    # Named like a field a program fills in; hidden from people by the template
    # (``includes/_guard_fields.html``) and from screen readers, never autofilled.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    messages = {
        "honeypot": _(
            "This form looks as if a program filled it in, so it was not sent. "
            "If you are a person, please leave the last field empty and send again."
        ),
        "too_fast": _("That was very fast. Please read your text once more, then send it again."),
        "expired": _("This form was opened too long ago. Please send it again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=_SALT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("homepage"):
            raise forms.ValidationError(self.messages["honeypot"], code="honeypot")
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self._restart()
            raise forms.ValidationError(self.messages["expired"], code="expired") from None
        elapsed = time.time() - started
        if elapsed > settings.RIGHTSNET_FORM_MAX_AGE:
            self._restart()
            raise forms.ValidationError(self.messages["expired"], code="expired")
        if elapsed < settings.RIGHTSNET_FORM_MIN_SECONDS:
            raise forms.ValidationError(self.messages["too_fast"], code="too_fast")
        return cleaned

    def _restart(self):
        """A fresh start time for the form shown again, so the next send can pass."""
        self.data = self.data.copy()
        self.data["started"] = signing.dumps(time.time(), salt=_SALT)


LIMIT_MESSAGES = {
    "ip": _("Too many messages from your network in a short time. Please try again later."),
    "sender": _("Too many messages from this email address. Please try again later."),
    "organization": _(
        "This organization has received many messages today. Please try again tomorrow."
    ),
}


def over_limit(request, group: str, *, sender: str = "", organization=None) -> str | None:
    """Count one send of ``group`` ("contact", "suggest") and say which limit it is over.

    Limits (``RIGHTSNET_FORM_LIMITS``: count per seconds) are fixed windows in the
    cache, counted per client address, per sender address (hashed) and per receiving
    organization. Returns the first limit exceeded ("ip", "sender", "organization"),
    whose message is ``LIMIT_MESSAGES[...]``, or ``None``.
    """
    keys = {"ip": client_address(request) or "unknown"}
    if sender:
        keys["sender"] = sender_hash(sender)
    if organization is not None:
        keys["organization"] = str(organization.pk)
    exceeded = None
    for name, value in keys.items():
        count, seconds = settings.RIGHTSNET_FORM_LIMITS[name]
        window = int(time.time() // seconds)
        key = f"abuse:{group}:{name}:{value}:{window}"
        cache.add(key, 0, timeout=seconds + 60)
        try:
            used = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=seconds + 60)
            used = 1
        if used > count and exceeded is None:
            exceeded = name
    return exceeded

"""Email settings from one address (rightsnet/mail.py): ``DJANGO_EMAIL_URL``."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rightsnet.mail import email_settings
from tests.test_settings import run_python

DEFAULT = Path("/srv/rightsnet/var/mail")
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def settings_for(url: str) -> dict:
    return email_settings(url, default_folder=DEFAULT)


def test_nothing_set_writes_files_to_the_default_folder():
    expected = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(DEFAULT),
    }
    assert settings_for("") == expected
    assert settings_for("   ") == expected


def test_smtp_on_587_uses_starttls_with_the_decoded_login():
    assert settings_for("smtp://mailer%40example.org:p%40ss%3Aw0rd@mail.example.org:587") == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss:w0rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtp_without_a_port_is_587_and_without_a_login_is_anonymous():
    result = settings_for("smtp://mail.example.org")
    assert (result["EMAIL_PORT"], result["EMAIL_HOST_USER"], result["EMAIL_HOST_PASSWORD"]) == (
        587, "", ""
    )  # fmt: skip
    assert result["EMAIL_USE_TLS"] is True


@pytest.mark.parametrize("off", ["off", "0", "false", "no", "OFF"])
def test_plain_smtp_to_a_local_relay(off):
    result = settings_for(f"smtp://localhost:25?tls={off}&timeout=3")
    assert (result["EMAIL_HOST"], result["EMAIL_PORT"], result["EMAIL_TIMEOUT"]) == (
        "localhost", 25, 3
    )  # fmt: skip
    assert (result["EMAIL_USE_TLS"], result["EMAIL_USE_SSL"]) == (False, False)


def test_smtps_is_tls_from_the_start_on_465():
    result = settings_for("SMTPS://user:secret@mail.example.org")
    assert result["EMAIL_BACKEND"] == SMTP
    assert (result["EMAIL_PORT"], result["EMAIL_USE_SSL"], result["EMAIL_USE_TLS"]) == (
        465, True, False
    )  # fmt: skip
    assert settings_for("smtps://mail.example.org:2465")["EMAIL_PORT"] == 2465


def test_console():
    assert settings_for("console:") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_file_with_a_folder():
    assert settings_for("file:///var/spool/rightsnet%20mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/spool/rightsnet mail",
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.org", "must start with smtp://, smtps://, console: or file://"),
        ("mail.example.org:587", "must start with smtp://"),
        ("smtp://mail.example.org:port", "port that is not a number"),
        ("smtp://user:pw@:587", "needs a host"),
        ("smtp://", "needs a host"),
        ("file://", "needs a folder"),
        ("smtp://mail.example.org?timeout=soon", "?timeout= must be a number"),
        ("smtp://mail.example.org?timeout=0", "?timeout= must be a number"),
    ],
)
def test_a_bad_address_is_refused_with_a_message(url, message):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_EMAIL_URL") as error:
        settings_for(url)
    assert message in str(error.value)


SHOW_EMAIL = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    name: str(getattr(settings, name, ""))
    for name in ("EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_HOST", "EMAIL_PORT",
                 "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL")
}))
"""


def test_the_settings_read_the_environment():
    """In a fresh interpreter: the default writes to var/mail/ of the project; an
    address and a sender given in the environment are used."""
    result = run_python(SHOW_EMAIL)
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)
    assert default["EMAIL_BACKEND"].endswith("filebased.EmailBackend")
    assert default["EMAIL_FILE_PATH"].endswith("/var/mail")
    assert default["DEFAULT_FROM_EMAIL"] == "rightsnet <noreply@localhost>"

    result = run_python(
        SHOW_EMAIL,
        DJANGO_EMAIL_URL="smtp://relay.example.org:2525",
        DJANGO_DEFAULT_FROM_EMAIL="rightsnet <noreply@rightsnet.example>",
    )
    assert result.returncode == 0, result.stderr
    configured = json.loads(result.stdout)
    assert (configured["EMAIL_HOST"], configured["EMAIL_PORT"], configured["EMAIL_USE_TLS"]) == (
        "relay.example.org", "2525", "True"
    )  # fmt: skip
    assert configured["DEFAULT_FROM_EMAIL"] == configured["SERVER_EMAIL"] == (
        "rightsnet <noreply@rightsnet.example>"
    )  # fmt: skip


def test_a_bad_address_in_the_environment_stops_the_start_up():
    result = run_python(SHOW_EMAIL, DJANGO_EMAIL_URL="imap://mail.example.org")
    assert result.returncode != 0
    assert "DJANGO_EMAIL_URL must start with smtp://" in result.stderr

"""Login throttling behind a reverse proxy: strangers cannot lock out staff.

Requests reach Django as they would behind the proxies: REMOTE_ADDR is the last
proxy, X-Forwarded-For the chain the proxies appended (and whatever the client
put there first).
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.254"
INNER_PROXY = "10.0.0.253"
STRANGER = "203.0.113.7"
EDITOR_HOME = "198.51.100.2"
LOCKED_TEXT = "Слишком много неудачных попыток входа"


@pytest.fixture(autouse=True)
def _throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def editor():
    return staff_user("editor", group="Editors")


def login(username: str, password: str, *, forwarded_for: str, remote: str = PROXY):
    """One login through the proxy, from a fresh browser."""
    return Client().post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def assert_locked(response):
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()


def test_a_stranger_failing_for_the_editor_does_not_lock_the_editor_out(editor):
    for _ in range(5):
        assert login("editor", "guess", forwarded_for=STRANGER).status_code in (200, 429)

    # The stranger is locked out, even with the right password...
    assert_locked(login("editor", PASSWORD, forwarded_for=STRANGER))
    # ...and the editor, through the same proxy from another address, is not.
    response = login("editor", PASSWORD, forwarded_for=EDITOR_HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_forged_hop_before_the_trusted_proxy_is_not_believed(editor):
    # The stranger claims to be the editor's address; the proxy appends the real one.
    for n in range(5):
        login("editor", "guess", forwarded_for=f"{EDITOR_HOME}, 192.0.2.{n}, {STRANGER}")

    assert_locked(login("editor", PASSWORD, forwarded_for=f"192.0.2.99, {STRANGER}"))
    assert login("editor", PASSWORD, forwarded_for=EDITOR_HOME).status_code == 302


def test_two_trusted_proxies_read_the_second_entry_from_the_right(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 2
    # client -> outer proxy (appends the client) -> inner proxy (appends the outer proxy)
    for n in range(5):
        login(
            "editor", "guess", forwarded_for=f"192.0.2.{n}, {STRANGER}, {PROXY}", remote=INNER_PROXY
        )

    assert_locked(login("editor", PASSWORD, forwarded_for=f"{STRANGER}, {PROXY}", remote=PROXY))
    response = login("editor", PASSWORD, forwarded_for=f"{EDITOR_HOME}, {PROXY}", remote=PROXY)
    assert response.status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(settings, editor):
    settings.TRUSTED_PROXY_COUNT = 0
    # A client talking to gunicorn directly cannot escape by inventing addresses.
    for n in range(5):
        login("editor", "guess", forwarded_for=f"192.0.2.{n}", remote=STRANGER)

    assert_locked(login("editor", PASSWORD, forwarded_for=EDITOR_HOME, remote=STRANGER))
    assert login("editor", PASSWORD, forwarded_for=STRANGER, remote=EDITOR_HOME).status_code == 302


def test_one_address_trying_many_usernames_is_throttled(editor):
    for n in range(12):
        response = login(f"user{n}", "guess", forwarded_for=STRANGER)
    assert_locked(response)

    # Every account is closed to that address now, a real one included...
    assert_locked(login("editor", PASSWORD, forwarded_for=STRANGER))
    # ...and open from anywhere else.
    assert login("editor", PASSWORD, forwarded_for=EDITOR_HOME).status_code == 302


def test_below_the_address_limit_other_accounts_still_log_in_from_that_address(editor):
    # An office behind one address: a few colleagues mistyping do not lock the others.
    for n in range(11):
        assert login(f"user{n}", "guess", forwarded_for=STRANGER).status_code == 200

    assert login("editor", PASSWORD, forwarded_for=STRANGER).status_code == 302


def test_a_malformed_forwarded_address_falls_back_to_the_connection(editor):
    for _ in range(5):
        login("editor", "guess", forwarded_for="not-an-address")

    # The failures counted against the proxy's own address, not against a made-up one.
    assert_locked(login("editor", PASSWORD, forwarded_for="also-not-an-address"))
    assert login("editor", PASSWORD, forwarded_for=EDITOR_HOME).status_code == 302


def test_the_lockout_page_is_in_english_too(editor):
    for _ in range(5):
        login("editor", "guess", forwarded_for=STRANGER)
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=STRANGER,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


@pytest.mark.parametrize(
    "variable", ["DJANGO_TRUSTED_PROXY_COUNT", "DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT"]
)
@pytest.mark.parametrize("value", ["one", "-1", "1.5"])
def test_a_malformed_number_stops_the_start_with_the_variable_named(variable, value):
    from tests.test_settings import run_settings

    result = run_settings(**{variable: value})

    assert result.returncode != 0
    assert f"{variable} must be a whole number (0 or more)" in result.stderr


def test_the_proxy_count_is_read_from_the_environment():
    from tests.test_settings import run_python

    result = run_python(
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.TRUSTED_PROXY_COUNT, settings.LOGIN_ADDRESS_FAILURE_LIMIT)",
        DJANGO_TRUSTED_PROXY_COUNT="2",
        DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT="50",
    )
    assert result.stdout.split() == ["2", "50"], result.stderr

"""A real SMTP server in the test process (aiosmtpd), and the settings that send to it.

``smtp_server`` (a fixture, registered in tests/conftest.py) starts a server on a free
port of 127.0.0.1, points Django's SMTP backend at it and yields it: ``.messages``
holds what it received, each parsed (``email.message.EmailMessage``) with its envelope
(``.envelope_from``, ``.envelope_to``). ``.refuse_with`` makes it refuse every
recipient with that reply; ``.stop()`` takes it down, so a test sees what
a sender sees when the mail server is down.
"""

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    """One message as the server got it."""

    envelope_from: str
    envelope_to: list[str]
    message: email.message.EmailMessage

    def __getitem__(self, header) -> str | None:
        """A header's decoded value, as a mail client shows it (without the folding
        white space that a long encoded header starts with)."""
        value = self.message[header]
        return None if value is None else str(value).strip()

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def __getattr__(self, name):
        """Anything else of the parsed message (``get_content()``, ``get_all()``...)."""
        return getattr(self.message, name)


class _Handler:
    def __init__(self, server: "SMTPServer"):
        self.server = server
        self.store = server.messages
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.refuse_with:
            return self.server.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.store.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPServer:
    host: str
    port: int
    messages: list = field(default_factory=list)
    controller: Controller | None = None
    # An SMTP reply to every recipient instead of "250 OK" (e.g. "550 5.1.1 No such
    # user"): the server refuses the message.
    refuse_with: str = ""

    def start(self):
        self.controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def send_to(settings, host: str, port: int):
    """Django's SMTP backend, plain SMTP (no TLS, no login) to ``host:port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = host
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server that Django sends to; ``.messages`` is what it received."""
    server = SMTPServer("127.0.0.1", free_port())
    server.start()
    send_to(settings, server.host, server.port)
    yield server
    server.stop()


@pytest.fixture
def smtp_inbox(smtp_server):
    """The same server, under the name the suggestions' tests use."""
    return smtp_server


@pytest.fixture
def smtp_down(settings):
    """Django sends by SMTP to a port of 127.0.0.1 where no server listens."""
    send_to(settings, "127.0.0.1", free_port())

"""Messages from visitors to an organization, sent by email without showing its address.

The message goes to the organization's address (public or restricted) through Django's
email framework, from ``DEFAULT_FROM_EMAIL`` with the sender's address as ``Reply-To``,
so the group answers the sender directly and the sender never learns the address
unless the group answers. rightsnet keeps no copy of the text: each attempt leaves one
``ContactMessage`` row (organization, time, outcome, a short reason, a keyed hash of
the sender, the language), never the text or an address.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext

from rightsnet.abuse import sender_hash
from rightsnet.i18n import in_language

from .models import ContactMessage, Organization

logger = logging.getLogger(__name__)

# What a mail server that is down, unreachable, slow or refusing raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)

SUBJECT = "Сообщение через rightsnet / Message via rightsnet: %(name)s"

HEADER = (
    "Это сообщение отправлено через форму на сайте rightsnet. Чтобы ответить, "
    "просто ответьте на это письмо: ответ придёт отправителю ({email}). "
    "Сайт не хранит текст сообщения и не видит ваш ответ.\n"
    "This message was sent through the contact form of the rightsnet website. To answer, "
    "reply to this email: the answer goes to the sender ({email}). "
    "The site keeps no copy of the text and does not see your answer."
)


def accepts_messages(organization: Organization) -> bool:
    """Whether the public may write to ``organization`` through the site: it has an
    email address and is not closed (a closed group's last address may now reach
    someone else, so nothing is sent there)."""
    return bool(organization.email) and organization.status != Organization.Status.CLOSED


def _one_line(value: str) -> str:
    """``value`` without line breaks, for a header (no header injection)."""
    return " ".join(value.split())


def contact_message_send(
    *, organization: Organization, name: str, email: str, message: str, language: str
) -> ContactMessage:
    """Send one visitor's message to ``organization`` and log the attempt.

    Returns the log row: ``delivered`` when the mail server accepted the message,
    ``failed`` when it could not be reached or refused it (the error is logged for the
    operators; the caller tells the sender it was not sent).
    """
    name = _one_line(name)
    # The groups of the directory read Russian first; the subject says it in both.
    org_name = in_language(organization, "name", "ru")[0] or organization.name
    mail = EmailMessage(
        subject=SUBJECT % {"name": _one_line(org_name)},
        body="\n\n".join(
            [
                HEADER.format(email=email),
                "—" * 20,
                f"{name} <{email}>:",
                message,
            ]
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[organization.email],
        reply_to=[email],
    )
    try:
        mail.send()
    except MAIL_ERRORS as error:
        logger.exception("A message to organization %s was not sent.", organization.pk)
        reason = type(error).__name__
        return _log(organization, ContactMessage.Outcome.FAILED, reason, email, language)
    return _log(organization, ContactMessage.Outcome.DELIVERED, "", email, language)


def contact_message_refused(
    *, organization: Organization, email: str, reason: str, language: str
) -> ContactMessage:
    """Log a message the abuse protection refused (``reason``: which limit)."""
    return _log(organization, ContactMessage.Outcome.REFUSED, reason, email, language)


def _log(organization, outcome, reason, email, language) -> ContactMessage:
    row = ContactMessage(
        organization=organization,
        outcome=outcome,
        reason=reason[:200],
        sender_hash=sender_hash(email),
        language=language[:5],
    )
    row.full_clean()
    row.save()
    return row


def not_sent_message() -> str:
    """What the sender reads when the mail server did not take the message."""
    return gettext(
        "Not sent: the mail service is not working right now. Your message is below; "
        "please try again later."
    )

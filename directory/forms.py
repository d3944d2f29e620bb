"""Forms the public sends on the directory's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rightsnet.abuse import GuardedForm

NAME_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 5000


class ContactForm(GuardedForm):
    """A visitor's message to an organization: who they are, where to answer, the text."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Please write your name."),
            "max_length": _("A name of at most %(limit_value)d characters, please."),
        },
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The organization answers you at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please write the address where the organization can answer you."),
            "invalid": _("This does not look like an email address: please check it."),
        },
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("At most 5,000 characters."),
        error_messages={
            "required": _("Please write your message."),
            "max_length": _(
                "The message is too long: at most %(limit_value)d characters, "
                "and it has %(show_value)d. Please shorten it."
            ),
        },
    )

    field_order = ["name", "email", "message", "homepage", "started"]

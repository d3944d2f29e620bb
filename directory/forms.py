"""Forms the public sends on the directory's pages: a message to an organization, a
correction to an entry or a new organization."""

from django import forms
from django.core.validators import (
    ProhibitNullCharactersValidator,
    URLValidator,
    validate_email,
)
from django.utils.translation import gettext_lazy as _

from rightsnet.abuse import GuardedForm
from rightsnet.i18n import in_language

from .models import ActivityType, Organization, Phone, Region
from .suggestions import LANGUAGE_FIELDS, SUGGESTED_FIELDS, differences

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


MAX_PHONES = 10
PHONE_LENGTH = Phone._meta.get_field("number").max_length


class WebsiteField(forms.URLField):
    """A web address: http or https only (a link the site may show)."""

    default_validators = [URLValidator(schemes=["http", "https"])]

    def __init__(self, **kwargs):
        super().__init__(label=_("website"), max_length=200, assume_scheme="https", **kwargs)


def region_choices() -> list[tuple[str, str]]:
    """Every region by slug, in tree order, each indented under its parent."""
    regions = list(Region.objects.only("slug", "name_ru", "name_en", "path", "depth"))
    names = {region.pk: in_language(region, "name")[0] for region in regions}

    def key(region):
        return [names.get(pk, "").casefold() for pk in Region.path_ids(region.path)]

    return [("", "—")] + [
        (region.slug, "\u2003" * region.depth + names[region.pk])
        for region in sorted(regions, key=key)
    ]


def activity_choices() -> list[tuple[str, str]]:
    activities = list(ActivityType.objects.only("slug", "name_ru", "name_en"))
    labelled = [(activity.slug, in_language(activity, "name")[0]) for activity in activities]
    return sorted(labelled, key=lambda choice: choice[1].casefold())


class PhonesField(forms.CharField):
    """Phone numbers, one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        # CharField's own check would see the list's repr, not the characters.
        ProhibitNullCharactersValidator()(text)
        numbers = [line.strip() for line in text.splitlines() if line.strip()]
        if len(numbers) > MAX_PHONES:
            raise forms.ValidationError(
                _("Please give at most %(count)s numbers.") % {"count": MAX_PHONES}
            )
        for number in numbers:
            if len(number) > PHONE_LENGTH:
                raise forms.ValidationError(
                    _("A number is at most %(count)s characters long.") % {"count": PHONE_LENGTH}
                )
        return numbers


class SuggestionForm(GuardedForm):
    """A correction to ``organization`` (whose public values are ``current``) or, with
    no organization, a new one. City, description and address are in ``language``."""

    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "—"), *Organization.Kind.choices], required=False
    )
    region = forms.ChoiceField(label=_("region"), required=False)
    city = forms.CharField(label=_("city"), max_length=120, required=False)
    activities = forms.MultipleChoiceField(
        label=_("Types of work"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("description"), max_length=5000, required=False, widget=forms.Textarea
    )
    address = forms.CharField(label=_("address"), max_length=300, required=False)
    postal_code = forms.CharField(label=_("postal code"), max_length=20, required=False)
    phones = PhonesField(
        label=_("Phones"),
        max_length=MAX_PHONES * (PHONE_LENGTH + 2),
        required=False,
        help_text=_("One number a line."),
    )
    email = forms.EmailField(label=_("email"), max_length=254, required=False)
    website = WebsiteField(required=False)
    source = forms.CharField(
        label=_("How do you know?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “I work there”, “their website, May 2025”, a newspaper article."),
    )
    submitter_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    submitter_email = forms.EmailField(label=_("Your email"), max_length=254, required=False)

    def __init__(self, *args, language: str, organization=None, current=None, **kwargs):
        self.language = language
        self.organization = organization
        self.current = current or {}
        if organization is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {**self._initial(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["activities"].choices = activity_choices()

    def _initial(self) -> dict:
        plain = ("name_ru", "name_en", "kind", "region", "activities", "postal_code", "email")
        initial = {key: self.current.get(key, "") for key in (*plain, "website")}
        initial["phones"] = "\n".join(self.current.get("phones", []))
        for field in LANGUAGE_FIELDS:
            initial[field] = self.current.get(f"{field}_{self.language}", "")
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.organization is None and not (cleaned.get("name_ru") or cleaned.get("name_en")):
            raise forms.ValidationError(
                _("Please give the organization's name in Russian or in English."), code="name"
            )
        if self.organization is not None and not self.proposal():
            raise forms.ValidationError(
                _("Nothing differs from the entry yet: change what is wrong, then send."),
                code="unchanged",
            )
        return cleaned

    def proposal(self) -> dict:
        """The values to store: for a correction, those that differ from the public ones;
        for a new organization, every value given."""
        data = self.cleaned_data
        values = {
            "name_ru": data.get("name_ru", ""),
            "name_en": data.get("name_en", ""),
            "kind": data.get("kind", ""),
            "region": data.get("region", ""),
            "activities": sorted(data.get("activities") or []),
            "postal_code": data.get("postal_code", ""),
            "phones": data.get("phones") or [],
            "email": data.get("email", ""),
            "website": data.get("website", ""),
        }
        for field in LANGUAGE_FIELDS:
            values[f"{field}_{self.language}"] = data.get(field, "")
        values = {key: value.strip() if isinstance(value, str) else value
                  for key, value in values.items()}  # fmt: skip
        if self.organization is not None:
            return differences(values, self.current)
        return {key: value for key, value in values.items() if value not in ("", [])}


class ModerationForm(forms.Form):
    """The editor's version of a submission's values, both languages, before accepting."""

    name_ru = forms.CharField(label=SUGGESTED_FIELDS["name_ru"], max_length=300, required=False)
    name_en = forms.CharField(label=SUGGESTED_FIELDS["name_en"], max_length=300, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Organization.Kind.choices)
    region = forms.ChoiceField(label=_("region"), required=False)
    city_ru = forms.CharField(label=SUGGESTED_FIELDS["city_ru"], max_length=120, required=False)
    city_en = forms.CharField(label=SUGGESTED_FIELDS["city_en"], max_length=120, required=False)
    activities = forms.MultipleChoiceField(
        label=_("Types of work"), required=False, widget=forms.CheckboxSelectMultiple
    )
    description_ru = forms.CharField(
        label=SUGGESTED_FIELDS["description_ru"], required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=SUGGESTED_FIELDS["description_en"], required=False, widget=forms.Textarea
    )
    address_ru = forms.CharField(
        label=SUGGESTED_FIELDS["address_ru"], max_length=300, required=False
    )
    address_en = forms.CharField(
        label=SUGGESTED_FIELDS["address_en"], max_length=300, required=False
    )
    postal_code = forms.CharField(label=_("postal code"), max_length=20, required=False)
    phones = PhonesField(label=_("Phones"), required=False, help_text=_("One number a line."))
    email = forms.CharField(label=_("email"), max_length=254, required=False)
    website = WebsiteField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["activities"].choices = activity_choices()

    @staticmethod
    def initial_from(values: dict) -> dict:
        return {**values, "phones": "\n".join(values.get("phones") or [])}

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            validate_email(email)
        return email

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            key: (data[key].strip() if isinstance(data[key], str) else data[key])
            for key in SUGGESTED_FIELDS
        }

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
    Source,
    Submission,
)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(ActivityType)
class ActivityTypeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "city", "address", "description")


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "publisher", "note")


@register(OrganizationEvent)
class OrganizationEventTranslationOptions(TranslationOptions):
    fields = ("former_name", "note")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "title", "biography")


@register(Practice)
class PracticeTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "lessons")


@register(Affiliation)
class AffiliationTranslationOptions(TranslationOptions):
    fields = ("role",)


# History is registered after the translation fields exist: a HistoricalRecords
# attribute in models.py would build the historical models before modeltranslation
# adds name_ru/name_en, and they would then record only the untranslated columns.
for model, options in (
    (Region, {}),
    (ActivityType, {}),
    (Source, {}),
    (
        Organization,
        {"m2m_fields": ["activities", "partners", "sources"], "excluded_fields": ["search_text"]},
    ),
    (OrganizationEvent, {"m2m_fields": ["sources"]}),
    (Phone, {}),
    (Person, {"m2m_fields": ["sources"], "excluded_fields": ["search_text"]}),
    (Affiliation, {}),
    (
        Practice,
        {
            "m2m_fields": ["organizations", "activities", "regions", "sources"],
            "excluded_fields": ["search_text"],
        },
    ),
    (Submission, {}),
):
    simple_history.register(model, **options)

from modeltranslation.translator import TranslationOptions, register

from .models import ActivityType, Affiliation, Organization, Person, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(ActivityType)
class ActivityTypeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "short_name", "city", "address", "description")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "title", "biography")


@register(Affiliation)
class AffiliationTranslationOptions(TranslationOptions):
    fields = ("role",)

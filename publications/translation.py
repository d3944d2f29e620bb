from modeltranslation.translator import TranslationOptions, register

from .models import Publication, Series


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "city", "description")

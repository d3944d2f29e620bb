import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Publication, Series


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Publication)
class PublicationTranslationOptions(TranslationOptions):
    fields = ("title", "city", "description")


# Registered after the translation fields exist (see directory/translation.py).
simple_history.register(Series)
simple_history.register(
    Publication, m2m_fields=["topics", "editors", "sources"], excluded_fields=["search_text"]
)

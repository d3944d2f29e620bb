"""Admin for the publications catalogue."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from directory.admin import PublicPageLinkMixin

from .models import Publication, Series


@admin.register(Series)
class SeriesAdmin(TabbedTranslationAdmin):
    list_display = ("name", "organization", "slug")
    search_fields = ("name_ru", "name_en", "slug")
    autocomplete_fields = ("organization",)


@admin.register(Publication)
class PublicationAdmin(PublicPageLinkMixin, TabbedTranslationAdmin):
    list_display = ("title", "series", "year", "language", "pages", "status", "is_published")
    list_filter = ("status", "is_published", "series", "language", "year", "topics")
    search_fields = ("title_ru", "title_en", "slug")
    autocomplete_fields = ("series", "publisher", "editors", "topics")
    readonly_fields = ("public_page",)

"""Admin for the publications catalogue, with history."""

from django.contrib import admin

from directory.admin import HistoryTranslationAdmin, PublicPageLinkMixin

from .models import Publication, Series


@admin.register(Series)
class SeriesAdmin(HistoryTranslationAdmin):
    list_display = ("name", "organization", "slug")
    list_select_related = ("organization",)
    search_fields = ("name_ru", "name_en", "slug")
    autocomplete_fields = ("organization",)


@admin.register(Publication)
class PublicationAdmin(PublicPageLinkMixin, HistoryTranslationAdmin):
    list_display = ("title", "series", "year", "language", "pages", "status", "is_published")
    list_filter = ("status", "is_published", "series", "language", "year", "topics")
    list_select_related = ("series",)
    search_fields = ("title_ru", "title_en", "slug")
    autocomplete_fields = ("series", "publisher", "editors", "topics", "sources")
    readonly_fields = ("public_page",)

"""Admin for the publications catalogue, with history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
    fieldsets = (
        (None, {"fields": ("title", "slug", "series", "status", "public_page")}),
        (
            _("Title and language"),
            {
                "fields": ("language", "title_language", "original_title"),
                "description": _(
                    "When the source gives the title in another language than the text's "
                    "(an English title of a Russian book), the site says that the title "
                    "shown is a translation, and shows the original title when it is known."
                ),
            },
        ),
        (
            _("Publication"),
            {"fields": ("year", "city", "pages", "publisher", "editors", "topics", "description")},
        ),
        (_("Editorial"), {"fields": ("is_published", "is_demo", "sources")}),
    )

"""Admin for Moscow staff: every directory entry, both languages in tabs."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import ActivityType, Affiliation, Organization, Person, Phone, Region


class PublicPageLinkMixin:
    """A read-only field linking to the entry's public page."""

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if not obj.pk or not getattr(obj, "is_published", True):
            return _("not public (draft)") if obj.pk else "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.get_absolute_url(),
            obj.get_absolute_url(),
        )


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    list_display = ("name", "kind", "parent", "slug")
    list_filter = ("kind",)
    search_fields = ("name_ru", "name_en", "slug")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


@admin.register(ActivityType)
class ActivityTypeAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_ru", "name_en", "slug")


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 1


class BranchInline(TranslationTabularInline):
    model = Organization
    fk_name = "parent"
    fields = ("name", "kind", "region", "city", "is_published")
    autocomplete_fields = ("region",)
    extra = 0
    verbose_name = _("branch")
    verbose_name_plural = _("branches")
    show_change_link = True


class AffiliationInline(TranslationTabularInline):
    model = Affiliation
    extra = 1
    autocomplete_fields = ("person", "organization")


@admin.register(Organization)
class OrganizationAdmin(PublicPageLinkMixin, TabbedTranslationAdmin):
    list_display = ("name", "kind", "region", "status", "is_published", "last_verified")
    list_filter = ("kind", "status", "is_published", "contacts_public", "region", "activities")
    search_fields = ("name_ru", "name_en", "short_name_ru", "short_name_en", "slug", "email")
    autocomplete_fields = ("parent", "partners", "region", "activities")
    readonly_fields = ("public_page", "created_at", "updated_at")
    inlines = (PhoneInline, BranchInline, AffiliationInline)
    fieldsets = (
        (None, {"fields": ("name", "short_name", "slug", "kind", "status", "public_page")}),
        (_("Place"), {"fields": ("region", "city")}),
        (
            _("Contacts"),
            {"fields": ("contacts_public", "address", "postal_code", "email", "website")},
        ),
        (_("Work"), {"fields": ("activities", "description", "founded")}),
        (_("Relations"), {"fields": ("parent", "partners")}),
        (
            _("Editorial"),
            {"fields": ("is_published", "last_verified", "created_at", "updated_at")},
        ),
    )


@admin.register(Person)
class PersonAdmin(PublicPageLinkMixin, TabbedTranslationAdmin):
    list_display = ("name", "title", "region", "is_published")
    list_filter = ("is_published", "region")
    search_fields = ("name_ru", "name_en", "title_ru", "title_en", "slug")
    autocomplete_fields = ("region",)
    readonly_fields = ("public_page",)
    inlines = (AffiliationInline,)


@admin.register(Affiliation)
class AffiliationAdmin(TabbedTranslationAdmin):
    list_display = ("person", "organization", "role", "start_year", "end_year")
    search_fields = ("person__name_ru", "person__name_en", "organization__name_ru", "organization__name_en")
    autocomplete_fields = ("person", "organization")


@admin.register(Phone)
class PhoneAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "organization")
    list_filter = ("kind",)
    search_fields = ("number", "organization__name_ru", "organization__name_en")
    autocomplete_fields = ("organization",)

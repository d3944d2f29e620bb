"""Admin for Moscow staff: every directory entry, both languages in tabs, with history.

Every model keeps its history (django-simple-history): who changed what and
when, with old and new values, and a way back to an earlier version. The
organization list shows what is missing, filters by it and by verification
age, and offers actions (verified today, publish, unpublish, set status) that
go through ``directory.services`` so the history records who did them.
Staff with the import permission can bulk-import organizations from CSV.
"""

import datetime
import smtplib

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from rightsnet.i18n import current_language
from rightsnet.links import safe_url

from . import columns, contacts, events, importing, services, staging, suggestions
from .dates import PartialDateModelForm
from .duplicates import likely_duplicates
from .forms import ModerationForm
from .models import (
    ActivityType,
    Affiliation,
    ContactMessage,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
    Source,
    Submission,
)

admin.site.site_header = _("rightsnet administration")
admin.site.site_title = _("rightsnet")
admin.site.index_title = _("Directory and publications")

IMPORT_PERMISSION = "directory.import_organizations"


class CleanQueryAdmin(admin.ModelAdmin):
    """Lists and searches that answer any query string, NUL bytes included.

    PostgreSQL refuses text with a NUL byte in any query, so a filter or search
    parameter carrying one would fail the whole list: it is left out instead, with a
    warning that says so. The autocomplete of related fields searches through
    ``get_search_results``, which reads the term without its NUL bytes.
    """

    def changelist_view(self, request, extra_context=None):
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            kept = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    self.message_user(
                        request,
                        gettext("“%(name)s” was ignored: it contained a NUL character.")
                        % {"name": key.replace("\x00", "")[:60]},
                        messages.WARNING,
                    )
                else:
                    kept.setlist(key, values)
            kept._mutable = False
            request.GET = kept
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", " "))


def _valid_pk(model, value) -> bool:
    try:
        model._meta.pk.to_python(unquote(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


class StaffHistoryAdmin(CleanQueryAdmin, SimpleHistoryAdmin):
    """History pages for whoever may view the entry; reverting only for who may change it."""

    def history_view(self, request, object_id, extra_context=None):
        # An id that is no id (e.g. text in the address) is no entry, not a server error.
        if not _valid_pk(self.model, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history hides the Revert button from view-only users but would still
        # save a POST: refuse it outright.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        if not (_valid_pk(self.model, object_id) and _valid_pk(history.model, version_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class SafeLinkURLWidget(AdminURLFieldWidget):
    """The admin's URL input; its "Currently:" link only for a safe address (rightsnet.links)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if not safe_url(value or ""):
            context["url_valid"] = False
            context["widget"]["href"] = ""
        return context


class HistoryTranslationAdmin(StaffHistoryAdmin, TabbedTranslationAdmin):
    """Language tabs in the forms, and the History page with revert."""

    # Staff paste bare domains ("mhg.example.org"); read them as https, Django 6's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "widget": SafeLinkURLWidget}}


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
class RegionAdmin(HistoryTranslationAdmin):
    list_display = ("name", "kind", "parent", "slug")
    list_filter = ("kind",)
    search_fields = ("name_ru", "name_en", "slug")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


@admin.register(ActivityType)
class ActivityTypeAdmin(HistoryTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_ru", "name_en", "slug")


def admin_url_name(model, view: str) -> str:
    """The admin's URL name of ``view`` ("change", "changelist") for a model or instance."""
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


class SourceForm(PartialDateModelForm):
    """The source's date typed as one field: "1997", "1997-01" or "1997-01-25"."""

    partial_dates = {"when": ("date", "date_precision")}


@admin.register(Source)
class SourceAdmin(HistoryTranslationAdmin):
    """Sources, cited by organizations, people, publications and events (autocomplete)."""

    # How many citing entries of each kind the change page lists; a link leads to all.
    CITED_BY_LIMIT = 20

    form = SourceForm
    list_display = ("title", "publisher", "when_display", "is_public")
    list_filter = ("is_public",)
    search_fields = ("title_ru", "title_en", "publisher_ru", "publisher_en", "url")
    readonly_fields = ("cited_by", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "publisher", "url", "when", "note", "is_public")}),
        (_("Cited by"), {"fields": ("cited_by",)}),
        (_("Editorial"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("date"), ordering="date")
    def when_display(self, obj):
        when = obj.when
        return when.display() if when else None

    @admin.display(description=_("cited by"))
    def cited_by(self, obj):
        """The entries citing this source, each kind with its count, as links for staff."""
        if obj is None or obj.pk is None:
            return "—"
        groups = []
        for relation in Source._meta.related_objects:
            if not relation.many_to_many:
                continue
            entries = getattr(obj, relation.get_accessor_name()).order_by("pk")
            count = entries.count()
            if not count:
                continue
            model = relation.related_model
            # An entry without an admin of its own (an event) is edited on its organization.
            via = None
            if not self.admin_site.is_registered(model) and any(
                field.name == "organization" for field in model._meta.fields
            ):
                via = "organization"
                entries = entries.select_related(via)
            links = [self._entry_link(entry, via) for entry in entries[: self.CITED_BY_LIMIT]]
            if count > len(links) and self.admin_site.is_registered(model):
                url = reverse(admin_url_name(model, "changelist"))
                links.append(
                    format_html(
                        '<a href="{}?{}__id__exact={}">{}</a>',
                        url,
                        relation.field.name,
                        obj.pk,
                        gettext("all %(count)s") % {"count": count},
                    )
                )
            groups.append(
                format_html(
                    "<li>{} ({}): {}</li>",
                    capfirst(model._meta.verbose_name_plural),
                    count,
                    format_html_join(", ", "{}", ((link,) for link in links)),
                )
            )
        if not groups:
            return gettext("No entry cites this source yet.")
        return format_html(
            '<ul class="cited-by">{}</ul>', format_html_join("", "{}", ((g,) for g in groups))
        )

    def _entry_link(self, entry, via: str | None):
        target, label = entry, str(entry)
        if via:
            target = getattr(entry, via)
            label = f"{target}: {entry}"
        if not self.admin_site.is_registered(type(target)):
            return label
        return format_html(
            '<a href="{}">{}</a>',
            reverse(admin_url_name(target, "change"), args=[target.pk]),
            label,
        )


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


class OrganizationEventForm(PartialDateModelForm):
    """An event with its date typed as "1997", "1997-01" or "1997-01-25"."""

    partial_dates = {"when": ("date", "date_precision")}


EVENT_FIELDS = ("kind", "when", "country", "former_name", "note", "sources", "is_public")


class OrganizationEventInline(TranslationStackedInline):
    model = OrganizationEvent
    form = OrganizationEventForm
    fields = EVENT_FIELDS
    autocomplete_fields = ("country", "sources")
    extra = 0
    verbose_name = _("event")
    verbose_name_plural = _(
        "events (the public ones decide the status, its date, the founding year, "
        "designations and former names)"
    )


# The generated link table would show a row as "Practice_organizations object (1)".
Practice.organizations.through.__str__ = lambda link: str(link.practice)


class PracticeInline(admin.TabularInline):
    """An organization's practical experience: the links to practices, each with a way
    to its own page in the admin; new links are made by searching a practice's title."""

    model = Practice.organizations.through
    fields = ("practice", "practice_page")
    autocomplete_fields = ("practice",)
    extra = 0
    verbose_name = _("practical experience")
    verbose_name_plural = _("practical experience")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("practice")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "practice":
            # The generated link table's column has no translated name of its own.
            field.label = capfirst(Practice._meta.verbose_name)
        return field

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return ("practice_title", "practice_page")

    def get_readonly_fields(self, request, obj=None):
        return ("practice_title", "practice_page")

    @admin.display(description=_("practical experience"))
    def practice_title(self, obj):
        return str(obj.practice) if obj and obj.pk else "—"

    @admin.display(description=_("edit"))
    def practice_page(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse(admin_url_name(Practice, "change"), args=[obj.practice_id]),
            gettext("open the practice"),
        )


def _empty(field_name: str) -> Q:
    return Q(**{field_name: ""}) | Q(**{f"{field_name}__isnull": True})


NO_CONTACT = (
    Q(has_phone=False)
    & _empty("email")
    & _empty("website")
    & _empty("address_ru")
    & _empty("address_en")
)


# Contacts that an as-of date belongs to (``directory.contacts``): not the website.
HAS_CONTACTS = (
    Q(has_phone=True)
    | ~_empty("email")
    | ~_empty("address_ru")
    | ~_empty("address_en")
    | ~_empty("postal_code")
)


def _stale_contacts() -> Q:
    """Contacts older than the setting allows, of an organization that is not closed
    (a closed one's are historical whatever their age: nothing to update)."""
    return contacts.stale_condition(contacts.cutoff()) & ~Q(status=Organization.Status.CLOSED)


class MissingFilter(admin.SimpleListFilter):
    title = _("missing")
    parameter_name = "missing"
    # A condition, or a function giving it when it depends on the day.
    conditions = {
        "name_en": (_("English name"), _empty("name_en")),
        "description_en": (_("English description"), _empty("description_en")),
        "activity": (_("type of work"), Q(has_activity=False)),
        "contact": (_("contact"), NO_CONTACT),
        "contacts_as_of": (_("date of contacts"), HAS_CONTACTS & Q(contacts_as_of__isnull=True)),
        "stale_contacts": (_("recent contacts"), lambda: HAS_CONTACTS & _stale_contacts()),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _condition) in self.conditions.items()]

    def queryset(self, request, queryset):
        found = self.conditions.get(self.value())
        if not found:
            return queryset
        condition = found[1]
        return queryset.filter(condition() if callable(condition) else condition)


class ContactsAgeFilter(admin.SimpleListFilter):
    """Contacts by their as-of date alone: current, stale (``directory.contacts``) or
    undated (of organizations with contacts). A closed organization's contacts are
    shown as historical whatever their date; here they count by their date."""

    title = pgettext_lazy("admin filter", "contacts")
    parameter_name = "contacts"

    def lookups(self, request, model_admin):
        return [
            ("current", pgettext_lazy("contacts", "current")),
            ("stale", pgettext_lazy("contacts", "stale")),
            ("no_date", pgettext_lazy("contacts", "no date")),
        ]

    def queryset(self, request, queryset):
        stale = contacts.stale_condition(contacts.cutoff())
        if self.value() == "current":
            return queryset.filter(contacts_as_of__isnull=False).exclude(stale)
        if self.value() == "stale":
            return queryset.filter(stale)
        if self.value() == "no_date":
            return queryset.filter(HAS_CONTACTS, contacts_as_of__isnull=True)
        return queryset


class VerificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("not verified for over a year")),
            ("recent", _("verified within a year")),
        ]

    def queryset(self, request, queryset):
        year_ago = timezone.localdate() - datetime.timedelta(days=365)
        if self.value() == "stale":
            return queryset.filter(Q(last_verified__lt=year_ago) | Q(last_verified__isnull=True))
        if self.value() == "recent":
            return queryset.filter(last_verified__gte=year_ago)
        return queryset


def _report_changed(modeladmin, request, count: int) -> None:
    modeladmin.message_user(
        request,
        ngettext("%(count)s organization changed.", "%(count)s organizations changed.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(permissions=["change"], description=_("Mark selected as verified today"))
def mark_verified(modeladmin, request, queryset):
    count = services.organization_mark_verified(organizations=queryset, user=request.user)
    _report_changed(modeladmin, request, count)


@admin.action(permissions=["change"], description=_("Publish selected"))
def publish(modeladmin, request, queryset):
    count = services.organization_set_published(
        organizations=queryset, user=request.user, published=True
    )
    _report_changed(modeladmin, request, count)


@admin.action(permissions=["change"], description=_("Unpublish selected (make drafts)"))
def unpublish(modeladmin, request, queryset):
    count = services.organization_set_published(
        organizations=queryset, user=request.user, published=False
    )
    _report_changed(modeladmin, request, count)


# Names listed in a message, at most.
MESSAGE_NAMES = 20


def _status_action(status: Organization.Status):
    @admin.action(
        permissions=["change"],
        description=format_lazy(_("Set status to “{status}”"), status=status.label),
    )
    def action(modeladmin, request, queryset):
        result = services.organization_set_status(
            organizations=queryset, user=request.user, status=status.value
        )
        _report_changed(modeladmin, request, result.changed)
        if kept := result.decided:
            names = ", ".join(str(org) for org in kept[:MESSAGE_NAMES])
            if len(kept) > MESSAGE_NAMES:
                names += ", …"
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)s organization kept its status, which its public events "
                    "decide: %(names)s.",
                    "%(count)s organizations kept their status, which their public events "
                    "decide: %(names)s.",
                    len(kept),
                )
                % {"count": len(kept), "names": names},
                messages.WARNING,
            )

    action.__name__ = f"set_status_{status.value}"
    return action


class OrganizationAdminForm(PartialDateModelForm):
    """The contacts' as-of date typed as one field: "1997", "1997-01" or "1997-01-25"."""

    partial_dates = {"contacts_as": ("contacts_as_of", "contacts_as_of_precision")}


@admin.register(Organization)
class OrganizationAdmin(PublicPageLinkMixin, HistoryTranslationAdmin):
    list_display = (
        "name", "kind", "region", "status", "is_published", "last_verified", "missing",
    )  # fmt: skip
    list_filter = (
        MissingFilter, VerificationFilter, ContactsAgeFilter, "kind", "status", "is_published",
        "contacts_public", "region", "activities",
    )  # fmt: skip
    list_select_related = ("region",)
    search_fields = ("name_ru", "name_en", "short_name_ru", "short_name_en", "slug", "email")
    autocomplete_fields = ("parent", "partners", "region", "activities", "sources")
    readonly_fields = (
        "public_page", "status_by_events", "designation_labels", "former_names", "created_at",
        "updated_at",
    )  # fmt: skip
    form = OrganizationAdminForm
    inlines = (
        PhoneInline, OrganizationEventInline, BranchInline, AffiliationInline, PracticeInline,
    )  # fmt: skip
    actions = (
        mark_verified,
        publish,
        unpublish,
        *(_status_action(status) for status in Organization.Status),
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "former_names",
                    "slug",
                    "kind",
                    "status",
                    "public_page",
                )
            },
        ),
        (_("Place"), {"fields": ("region", "city")}),
        (
            _("Contacts"),
            {
                "fields": (
                    "contacts_public",
                    "address",
                    "postal_code",
                    "email",
                    "website",
                    "contacts_as",
                )
            },
        ),
        (
            _("Work"),
            {"fields": ("activities", "description", "founded", "designation_labels")},
        ),
        (_("Relations"), {"fields": ("parent", "partners")}),
        (_("Sources"), {"fields": ("sources",)}),
        (
            _("Editorial"),
            {"fields": ("is_published", "last_verified", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_activity=Exists(
                    Organization.activities.through.objects.filter(organization=OuterRef("pk"))
                ),
                has_phone=Exists(Phone.objects.filter(organization=OuterRef("pk"))),
            )
        )

    # The status, founding year, designations and former names follow the public events.

    def _deciding_event(self, obj):
        """The public event that decides ``obj``'s status, or None (read once per object)."""
        if obj is None or obj.pk is None:
            return None
        if not hasattr(obj, "_deciding_event"):
            obj._deciding_event = events.deciding_event(obj.events.all())
        return obj._deciding_event

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self._deciding_event(obj) is None:
            return fieldsets
        # Shown, not typed: a typed status would be overwritten by the events.
        return [
            (
                title,
                {
                    **options,
                    "fields": tuple(
                        "status_by_events" if name == "status" else name
                        for name in options["fields"]
                    ),
                },
            )
            for title, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        help_texts = {
            "status": _(
                "As chosen here (“unknown” when nothing is known) until a public event "
                "below changes it: liquidated or ceased (closed), suspended (inactive), "
                "resumed or moved abroad (active)."
            ),
            "founded": _(
                "The year of the earliest public “founded” event below. A year typed here "
                "moves that event (or adds one); an empty field removes it."
            ),
        }
        for name, text in help_texts.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return form

    @admin.display(description=_("status"))
    def status_by_events(self, obj):
        event = self._deciding_event(obj)
        if event is None:
            return obj.get_status_display() if obj else "—"
        return gettext(
            "%(status)s: decided by the public event “%(event)s” (%(date)s). To change the "
            "status, change that event below or make it seen by staff only."
        ) % {
            "status": obj.get_status_display(),
            "event": event.get_kind_display(),
            "date": event.when.display(),
        }

    @admin.display(description=_("designations"))
    def designation_labels(self, obj):
        labels = dict(OrganizationEvent.Kind.choices)
        codes = obj.designations.split() if obj else []
        return ", ".join(str(labels.get(code, code)) for code in codes) or "—"

    @admin.display(description=_("missing"))
    def missing(self, obj):
        gaps = []
        if not obj.name_en:
            gaps.append(gettext("English name"))
        if not obj.description_en:
            gaps.append(gettext("English description"))
        if not obj.has_activity:
            gaps.append(gettext("type of work"))
        if not (obj.has_phone or obj.email or obj.website or obj.address_ru or obj.address_en):
            gaps.append(gettext("contact"))
        if obj.has_phone or obj.email or obj.address_ru or obj.address_en or obj.postal_code:
            if obj.contacts_as_of is None:
                gaps.append(gettext("date of contacts"))
            elif obj.status != Organization.Status.CLOSED and contacts.is_stale(
                obj.contacts_date, contacts.cutoff()
            ):
                gaps.append(gettext("recent contacts"))
        return ", ".join(gaps) or "—"

    # Likely duplicates: a warning, never a reason to refuse saving.

    def duplicate_warning(self, request, obj) -> None:
        duplicates = likely_duplicates(obj)
        if not duplicates:
            return
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:directory_organization_change", args=[dup.pk]), str(dup))
                for dup in duplicates
            ),
        )
        self.message_user(
            request,
            format_html(
                "{} {}",
                gettext("Possible duplicate: a very similar name in the same city:"),
                links,
            ),
            messages.WARNING,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self.duplicate_warning(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "_continue" not in request.POST:
            self.duplicate_warning(request, obj)

    def delete_model(self, request, obj):
        practices = list(obj.practices.all())
        super().delete_model(request, obj)
        # The links go with the organization, silently: the practices' history says so.
        services.practice_record_links(
            practices=practices, user=request.user, organization=obj, deleted=True
        )

    def delete_queryset(self, request, queryset):
        linked = {org: list(org.practices.all()) for org in queryset.prefetch_related("practices")}
        super().delete_queryset(request, queryset)
        for org, practices in linked.items():
            services.practice_record_links(
                practices=practices, user=request.user, organization=org, deleted=True
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Practice.organizations.through:
            # Links saved from this side send no m2m signal: the practices' own history
            # records them here.
            touched = set()
            for row in formset.forms:
                if row in formset.deleted_forms or row.has_changed():
                    touched.add(row.initial.get("practice"))
                    chosen = getattr(row, "cleaned_data", {}).get("practice")
                    touched.add(getattr(chosen, "pk", chosen))
            services.practice_record_links(
                practices=Practice.objects.filter(pk__in=touched - {None}),
                user=request.user,
                organization=form.instance,
            )

    # Restore: the organization comes back with what its deletion took with it.

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                version = Organization.history.get(history_id=version_id)
                organization = Organization.objects.get(pk=version.id)
                restored = services.organization_restore_related(
                    organization=organization, version=version, user=request.user
                )
                if restored:
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)s related entry (phone, person's role, types of work) "
                            "was restored.",
                            "%(count)s related entries (phones, people's roles, types of work) "
                            "were restored.",
                            restored,
                        )
                        % {"count": restored},
                        messages.SUCCESS,
                    )
        return response

    # Bulk import from CSV: upload, preview, confirm.

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="directory_organization_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import organizations from CSV"),
            "max_megabytes": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1),
            "columns": columns.headers(current_language()),
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._import_confirm(request, context)
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                context["error"] = gettext("Choose a CSV file to upload.")
            elif upload.size > settings.IMPORT_MAX_BYTES:
                context["error"] = importing.file_too_large_message(
                    upload.size, settings.IMPORT_MAX_BYTES
                )
            else:
                data = upload.read()
                return self._import_preview(request, context, data, upload.name)
        return TemplateResponse(request, "admin/directory/organization/import.html", context)

    def _import_preview(self, request, context, data: bytes, filename: str):
        table = importing.read_csv(data, max_bytes=settings.IMPORT_MAX_BYTES)
        report = services.organization_import(table=table, user=request.user, dry_run=True)
        context.update(report=report, filename=filename)
        if report.ok and report.changed_rows:
            staged = staging.stage_import(
                data=data, filename=filename, fingerprint=report.fingerprint(), user=request.user
            )
            context["token"] = staged.token
        return TemplateResponse(request, "admin/directory/organization/import.html", context)

    def _import_confirm(self, request, context):
        with transaction.atomic():
            staged = staging.staged_import(token=request.POST.get("token", ""), user=request.user)
            if staged is None:
                context["error"] = gettext(
                    "This preview has expired or was already imported. Upload the file again."
                )
                return TemplateResponse(
                    request, "admin/directory/organization/import.html", context
                )
            data = staging.staged_bytes(staged)
            if data is None:
                context["error"] = gettext("The uploaded file changed; upload it again.")
                return TemplateResponse(
                    request, "admin/directory/organization/import.html", context
                )
            table = importing.read_csv(data, max_bytes=settings.IMPORT_MAX_BYTES)
            report = services.organization_import(
                table=table,
                user=request.user,
                dry_run=False,
                reason=gettext("CSV import: %(filename)s") % {"filename": staged.filename},
                expected_fingerprint=staged.fingerprint,
            )
            if not report.written:
                # The data changed since the preview (or a row became invalid): show it again.
                context.update(
                    report=report,
                    filename=staged.filename,
                    error=gettext(
                        "Nothing was imported: the data changed since the preview. "
                        "Check the new preview and upload the file again."
                    ),
                )
                return TemplateResponse(
                    request, "admin/directory/organization/import.html", context
                )
            staged.delete()
        self.message_user(
            request,
            gettext("Import done: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:directory_organization_changelist"))


@admin.register(Person)
class PersonAdmin(PublicPageLinkMixin, HistoryTranslationAdmin):
    list_display = ("name", "title", "region", "is_published")
    list_filter = ("is_published", "region")
    list_select_related = ("region",)
    search_fields = ("name_ru", "name_en", "title_ru", "title_en", "slug")
    autocomplete_fields = ("region", "sources")
    readonly_fields = ("public_page",)
    inlines = (AffiliationInline,)


@admin.register(Affiliation)
class AffiliationAdmin(HistoryTranslationAdmin):
    list_display = ("person", "organization", "role", "start_year", "end_year")
    list_select_related = ("person", "organization")
    search_fields = (
        "person__name_ru", "person__name_en", "organization__name_ru", "organization__name_en",
    )  # fmt: skip
    autocomplete_fields = ("person", "organization")


@admin.register(Phone)
class PhoneAdmin(StaffHistoryAdmin):
    list_display = ("number", "kind", "organization")
    list_filter = ("kind",)
    list_select_related = ("organization",)
    search_fields = ("number", "organization__name_ru", "organization__name_en")
    autocomplete_fields = ("organization",)


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(HistoryTranslationAdmin):
    form = OrganizationEventForm
    fields = ("organization", *EVENT_FIELDS)
    list_display = ("organization", "kind", "when_display", "is_public")
    list_filter = ("kind", "is_public")
    list_select_related = ("organization",)
    search_fields = (
        "organization__name_ru", "organization__name_en", "former_name_ru", "former_name_en",
        "note_ru", "note_en",
    )  # fmt: skip
    autocomplete_fields = ("organization", "country", "sources")

    @admin.display(description=_("date"), ordering="date")
    def when_display(self, obj):
        return obj.when.display()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version brings back the row; its sources come back here.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                services.event_restore_sources(
                    event=OrganizationEvent.objects.get(pk=object_id),
                    version=OrganizationEvent.history.get(history_id=version_id),
                    user=request.user,
                )
        return response


class PracticeForm(PartialDateModelForm):
    """The start and the end typed as one field each: "1992", "1997-01" or "1997-01-25"."""

    partial_dates = {
        "start": ("start_date", "start_date_precision"),
        "end": ("end_date", "end_date_precision"),
    }

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start"), cleaned_data.get("end")
        # The rule of the constraint practice_ends_after_start, said in words.
        if start and end and end.date < start.date:
            message = gettext("The end (%(end)s) is before the start (%(start)s).")
            if end.date.year == start.date.year:
                message += " " + gettext(
                    "Within one year, type the end with its month, for example %(example)s."
                ) % {"example": f"{end.date.year}-12"}
            self.add_error(
                "end",
                ValidationError(
                    message % {"end": end.display(), "start": start.display()},
                    code="before_start",
                ),
            )
        return cleaned_data


@admin.register(Practice)
class PracticeAdmin(PublicPageLinkMixin, HistoryTranslationAdmin):
    """Practical experience: who did what, where and when, and what others can learn."""

    form = PracticeForm
    list_display = (
        "title", "period", "organization_names", "is_published", "is_demo", "updated_at",
    )  # fmt: skip
    list_filter = ("is_published", "is_demo", "activities", "regions")
    search_fields = ("title_ru", "title_en", "slug")
    autocomplete_fields = ("organizations", "activities", "regions", "sources")
    readonly_fields = ("public_page", "is_demo", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "public_page", "summary", "body", "lessons")}),
        (_("Who, what and where"), {"fields": ("organizations", "activities", "regions")}),
        (_("Period"), {"fields": ("start", "end")}),
        (_("Sources"), {"fields": ("sources",)}),
        (
            _("Editorial"),
            {"fields": ("is_published", "is_demo", "created_at", "updated_at")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "end" in form.base_fields:
            form.base_fields["end"].help_text = _(
                "Empty when the work goes on or its end is not known. A year (1997), "
                "a year and month (1997-01) or a full date (1997-01-25)."
            )
        return form

    @admin.display(description=_("period"), ordering="start_date")
    def period(self, obj):
        start, end = obj.start, obj.end
        if start and end:
            return f"{start.display()} – {end.display()}"
        if start:
            return start.since()
        if end:
            return gettext("ended %(end)s; start not known") % {"end": end.display()}
        return "—"

    @admin.display(description=_("organizations"))
    def organization_names(self, obj):
        return ", ".join(str(org) for org in obj.organizations.all()) or "—"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version brings back the row; its links come back here.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                services.practice_restore_links(
                    practice=Practice.objects.get(pk=object_id),
                    version=Practice.history.get(history_id=version_id),
                    user=request.user,
                )
        return response


@admin.register(ContactMessage)
class ContactMessageAdmin(CleanQueryAdmin):
    """The log of messages sent to organizations through the site, written by the site
    alone: read-only for everyone. It never holds a message's text or its sender's
    address, only a hash of the address (one sender's messages share it)."""

    list_display = (
        "created_at", "organization", "outcome", "reason", "sender", "language",
    )  # fmt: skip
    list_filter = ("outcome", "created_at")
    list_select_related = ("organization",)
    search_fields = ("organization__name_ru", "organization__name_en")
    fields = ("organization", "created_at", "outcome", "reason", "sender_hash", "language")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sender (hashed)"), ordering="sender_hash")
    def sender(self, obj):
        # The start of the hash is enough to tell senders apart; the link lists one's messages.
        return format_html(
            '<a href="?sender_hash={}" title="{}">{}…</a>',
            obj.sender_hash,
            gettext("Messages from this sender"),
            obj.sender_hash[:12],
        )


# Corrections and new entries from the public: a moderation queue.


class SubmissionStatusFilter(admin.SimpleListFilter):
    """Pending by default: the list is the queue; decided ones a click away."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Submission.Status.choices, (self.ALL, _("all"))]

    def _chosen(self) -> str:
        return self.value() or Submission.Status.PENDING

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self._chosen() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        chosen = self._chosen()
        if chosen == self.ALL:
            return queryset
        if chosen not in Submission.Status.values:
            return queryset.none()
        return queryset.filter(status=chosen)


@admin.register(Submission)
class SubmissionAdmin(StaffHistoryAdmin):
    """The queue of suggestions from the public: compare, accept (as proposed or edited)
    or reject with a reason. Accepting goes through ``services.submission_accept``."""

    list_display = ("__str__", "kind", "organization", "status", "language", "created_at")
    list_filter = (SubmissionStatusFilter, "kind", "created_at")
    list_select_related = ("organization",)
    date_hierarchy = "created_at"
    fields = (
        "kind", "organization", "status", "created_at", "language", "source_note",
        "submitter_name", "submitter_email", "reason", "decided_by", "decided_at",
    )  # fmt: skip
    readonly_fields = fields
    change_form_template = "admin/directory/submission/change_form.html"

    def has_add_permission(self, request):
        return False  # submissions come from the public site

    def can_moderate(self, request, submission) -> bool:
        """Whether the user may accept or reject ``submission`` (whatever its status)."""
        if not self.has_change_permission(request, submission):
            return False
        needed = "change" if submission.kind == Submission.Kind.CORRECTION else "add"
        return request.user.has_perm(f"directory.{needed}_organization")

    def get_urls(self):
        own = [
            ("accept", self.accept_view),
            ("edit", self.edit_accept_view),
            ("reject", self.reject_view),
        ]
        return [
            *(
                path(
                    f"<path:object_id>/{name}/",
                    self.admin_site.admin_view(view),
                    name=f"directory_submission_{name}",
                )
                for name, view in own
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = (
            self.get_object(request, unquote(object_id))
            if _valid_pk(Submission, object_id)
            else None
        )
        extra_context = dict(extra_context or {})
        if submission is not None:
            extra_context.update(
                comparison=suggestions.comparison(submission),
                can_moderate=submission.status == Submission.Status.PENDING
                and self.can_moderate(request, submission),
                show_save=False,
                show_save_and_continue=False,
                show_save_and_add_another=False,
            )
            if (
                submission.kind == Submission.Kind.NEW
                and submission.status == Submission.Status.PENDING
            ):
                extra_context["duplicates"] = suggestions.duplicates_of(submission)
        return super().change_view(request, object_id, form_url, extra_context)

    def _moderated(self, request, object_id) -> Submission:
        if not _valid_pk(Submission, object_id):
            raise Http404
        submission = self.get_object(request, unquote(object_id))
        if submission is None:
            raise Http404
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        return submission

    def _back(self, submission):
        return HttpResponseRedirect(
            reverse("admin:directory_submission_change", args=[submission.pk])
        )

    def _accept(self, request, submission, values=None):
        """Accept, report, send the submitter's note; a refused value leaves all as it was."""
        if not self.can_moderate(request, submission):
            raise PermissionDenied
        try:
            organization = services.submission_accept(
                submission=submission, user=request.user, values=values
            )
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Not accepted, nothing was changed: %(error)s")
                % {"error": " ".join(error.messages)},
                messages.ERROR,
            )
            return None
        link = reverse("admin:directory_organization_change", args=[organization.pk])
        if submission.kind == Submission.Kind.NEW:
            text = gettext(
                "Accepted: the organization “%(name)s” was created unpublished. "
                "Check it and publish it."
            )
        else:
            text = gettext("Accepted: “%(name)s” was changed.")
        self.message_user(
            request,
            format_html('<a href="{}">{}</a>', link, text % {"name": organization}),
            messages.SUCCESS,
        )
        page_url = ""
        if organization.is_published:
            with translation.override(submission.language or "ru"):
                page_url = request.build_absolute_uri(organization.get_absolute_url())
        try:
            sent = services.submission_send_note(submission=submission, page_url=page_url)
        except (smtplib.SMTPException, OSError) as error:
            self.message_user(
                request,
                gettext(
                    "The note to the submitter (%(email)s) could not be sent: %(error)s. "
                    "The submission stays accepted."
                )
                % {"email": submission.submitter_email, "error": error},
                messages.WARNING,
            )
        else:
            if sent:
                self.message_user(
                    request,
                    gettext("A note was sent to %(email)s.")
                    % {"email": submission.submitter_email},
                    messages.INFO,
                )
        return organization

    def accept_view(self, request, object_id):
        submission = self._moderated(request, object_id)
        if request.method != "POST":
            return self._back(submission)
        if self._accept(request, submission) is None:
            return self._back(submission)
        return HttpResponseRedirect(reverse("admin:directory_submission_changelist"))

    def edit_accept_view(self, request, object_id):
        submission = self._moderated(request, object_id)
        if not self.can_moderate(request, submission):
            raise PermissionDenied
        if submission.status != Submission.Status.PENDING:
            self.message_user(request, gettext("This submission was already decided."))
            return self._back(submission)
        proposal = {
            key: value
            for key, value in (submission.data or {}).items()
            if key in suggestions.SUGGESTED_FIELDS
        }
        if submission.kind == Submission.Kind.CORRECTION and submission.organization:
            start = {**suggestions.current_values(submission.organization), **proposal}
        else:
            start = {"kind": Organization.Kind.GROUP, **proposal}
        if request.method == "POST":
            form = ModerationForm(request.POST)
            if form.is_valid():
                if self._accept(request, submission, values=form.values()) is not None:
                    return HttpResponseRedirect(reverse("admin:directory_submission_changelist"))
        else:
            form = ModerationForm(initial=ModerationForm.initial_from(start))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": submission,
            "title": gettext("Edit and accept: %(submission)s") % {"submission": submission},
            "form": form,
            "comparison": suggestions.comparison(submission),
        }
        return TemplateResponse(request, "admin/directory/submission/edit_accept.html", context)

    def reject_view(self, request, object_id):
        submission = self._moderated(request, object_id)
        if request.method != "POST":
            return self._back(submission)
        if not self.can_moderate(request, submission):
            raise PermissionDenied
        try:
            services.submission_reject(
                submission=submission,
                user=request.user,
                reason=request.POST.get("reason", "")[:5000],
            )
        except ValidationError as error:
            self.message_user(
                request,
                gettext("Not rejected: %(error)s") % {"error": " ".join(error.messages)},
                messages.ERROR,
            )
            return self._back(submission)
        self.message_user(
            request, gettext("Rejected: %(submission)s.") % {"submission": submission}
        )
        return HttpResponseRedirect(reverse("admin:directory_submission_changelist"))

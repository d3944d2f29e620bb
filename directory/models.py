"""The directory: regions, types of work, organizations, phones, people."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rightsnet.text import SLUG_MAX_LENGTH, search_document, slug_from

from . import events as event_rules
from . import visibility
from .dates import PartialDate, Precision

MIN_YEAR = 1800
MAX_YEAR = 2100


def unique_slug(instance: models.Model, text: str, fallback: str) -> str:
    """A slug from ``text`` that no other row of the model uses yet."""
    base = slug_from(text) or fallback
    base = base[: SLUG_MAX_LENGTH - 6].strip("-") or fallback
    model = type(instance)
    others = (
        model._default_manager.exclude(pk=instance.pk) if instance.pk else model._default_manager
    )
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def year_validators():
    return [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def precision_field(verbose_name, **kwargs):
    """The precision column beside a ``DateField`` (``directory.dates``)."""
    return models.CharField(
        verbose_name, max_length=10, choices=Precision.choices, blank=True, **kwargs
    )


def dated_constraints(prefix: str, date_field: str, precision_field: str) -> list:
    """A date and its precision are set together, and the precision is a known one."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{date_field}__isnull": True, precision_field: ""})
            | Q(
                **{f"{date_field}__isnull": False, f"{precision_field}__in": list(Precision.values)}
            ),
            name=f"{prefix}_{date_field}_precision",
        ),
    ]


class SourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Source(models.Model):
    """Where a fact comes from: a web page, a book, a newspaper report, a phone call.

    An internal source (``is_public`` off, e.g. a call with a member) is for staff only.
    """

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field(_("date precision"))
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "When off, the source is seen by staff only (e.g. a phone call with a member)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["date", "title"]
        constraints = dated_constraints("source", "date", "date_precision")

    def __str__(self):
        when = self.when
        return f"{self.title} ({when.iso()})" if when else self.title

    @property
    def when(self) -> PartialDate | None:
        return PartialDate.from_parts(self.date, self.date_precision)


class RegionQuerySet(models.QuerySet):
    def roots(self):
        return self.filter(parent__isnull=True)

    def descendants_of(self, region: "Region", include_self: bool = True):
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)


class Region(models.Model):
    """A place in a tree of any depth: country, macro-region, subject, city."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        MACRO_REGION = "macro-region", _("macro-region")
        SUBJECT = "subject", _("subject of the federation / province")
        CITY = "city", _("city")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Materialised path of ids, e.g. "/1/4/17/": derived in save() so that the
    # whole subtree is one ``startswith`` and the ancestors one ``in``.
    path = models.CharField(_("path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["country", "macro-region", "subject", "city"]),
                name="region_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="region_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.name, "region")
        # Atomic so that a move refused by refresh_path() leaves the row as it was.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            self.refresh_path()

    def get_absolute_url(self):
        return reverse("directory:region_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if (
            self.pk
            and self.parent_id
            and (self.parent_id == self.pk or f"/{self.pk}/" in self.parent.path)
        ):
            raise ValidationError(
                {"parent": _("A region cannot be placed under itself or one of its subregions.")}
            )

    def refresh_path(self) -> None:
        """Recompute this region's path and depth, and its subtree's if it moved."""
        parent_path = self.parent.path if self.parent_id else "/"
        if self.parent_id and f"/{self.pk}/" in parent_path:
            raise ValueError("A region cannot be placed under its own descendant.")
        new_path = f"{parent_path}{self.pk}/"
        old_path = self.path
        if new_path == old_path:
            return
        new_depth = new_path.count("/") - 2
        type(self).objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        if old_path:
            for child in type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = new_path + child.path[len(old_path) :]
                child.depth = child.path.count("/") - 2
                type(self).objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)
        self.path, self.depth = new_path, new_depth

    @staticmethod
    def path_ids(path: str) -> list[int]:
        """The region ids of a materialised ``path`` ("/1/7/42/"), root first, itself last.

        The one reader of the path format: regions in memory (plain tuples as well as
        instances) are walked with it too."""
        return [int(part) for part in (path or "").strip("/").split("/") if part]

    @property
    def ancestor_ids(self) -> list[int]:
        return self.path_ids(self.path)[:-1]

    def ancestors(self, include_self: bool = False) -> list["Region"]:
        """Root first, in one query."""
        ids = self.ancestor_ids + ([self.pk] if include_self else [])
        by_id = Region.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def descendants(self, include_self: bool = True):
        return Region.objects.descendants_of(self, include_self=include_self)


class ActivityType(models.Model):
    """A type of work: legal defense, monitoring, humanitarian aid ..."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("type of work")
        verbose_name_plural = _("types of work")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.name, "activity")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:activity_detail", kwargs={"slug": self.slug})


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility.published())

    def in_region(self, region: Region):
        """Organizations in ``region`` or anywhere below it."""
        return self.filter(region__path__startswith=region.path)

    def with_public_contacts(self):
        """Public contact fields only (``visibility.with_public_contacts``)."""
        return visibility.with_public_contacts(self)


class Organization(models.Model):
    """A human rights group, related NGO, commission, international body or network."""

    class Kind(models.TextChoices):
        GROUP = "group", _("human rights group")
        NGO = "ngo", _("related NGO")
        COMMISSION = "commission", _("official commission / ombudsman / state body")
        INTERNATIONAL = "international", _("international organization")
        NETWORK = "network", _("coalition / network")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        CLOSED = "closed", _("closed")
        UNKNOWN = "unknown", _("unknown")

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GROUP)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        help_text=_("Set when this entry is a branch of another organization."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
    )
    partners = models.ManyToManyField("self", verbose_name=_("partners"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    activities = models.ManyToManyField(
        ActivityType, verbose_name=_("types of work"), blank=True, related_name="organizations"
    )
    description = models.TextField(_("description"), blank=True)
    founded = models.PositiveSmallIntegerField(
        _("founded"), null=True, blank=True, validators=year_validators()
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are never shown to the public.")
    )
    contacts_public = models.BooleanField(
        _("contacts public"),
        default=True,
        help_text=_(
            "When off, the address, phones and email are seen by staff only: "
            "some people on this list are at risk."
        ),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    # Derived from the public events on every change (``directory.events``), never typed.
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    status_since_precision = precision_field(_("status since: precision"), editable=False)
    designations = models.CharField(
        _("designations"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Codes of the designation events, space-separated (derived)."),
    )
    former_names = models.TextField(
        _("former names"), blank=True, editable=False, help_text=_("From the renamed events.")
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Other names and spellings a reader may search for, one per line, "
            "in any language (e.g. a newspaper's wording)."
        ),
    )
    contacts_as_of = models.DateField(_("contacts as of"), null=True, blank=True)
    contacts_as_of_precision = precision_field(_("contacts as of: precision"))
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="organizations"
    )
    is_demo = models.BooleanField(
        _("demo entry"),
        default=False,
        help_text=_("Generated, fictional data for demonstrations; never a real organization."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["group", "ngo", "commission", "international", "network"]),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "inactive", "closed", "unknown"]),
                name="organization_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(founded__isnull=True) | Q(founded__gte=MIN_YEAR, founded__lte=MAX_YEAR),
                name="organization_founded_range",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="organization_not_own_parent"
            ),
            *dated_constraints("organization", "status_since", "status_since_precision"),
            *dated_constraints("organization", "contacts_as_of", "contacts_as_of_precision"),
        ]
        indexes = [
            models.Index(fields=["is_published", "name"], name="org_published_name_idx"),
            models.Index(fields=["is_published", "updated_at"], name="org_published_updated_idx"),
            models.Index(fields=["kind"], name="org_kind_idx"),
            models.Index(fields=["status"], name="org_status_idx"),
            # The list sorted by "recently updated" (both ways: updated_at, then the id),
            # read from the index alone instead of sorting every published row.
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(is_published=True),
                name="org_pub_updated_id_idx",
            ),
            # Facet counts with a kind or status chosen, from the index alone.
            models.Index(
                fields=["kind", "status", "region"],
                condition=Q(is_published=True),
                name="org_pub_facets_idx",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.name, "organization")
        # ``founded`` lives in the founded event (``directory.events``); a year typed
        # here (admin field, import, code) writes that event after the save.
        events = list(self.events.all()) if self.pk else []
        typed_founded = self.founded
        derived = event_rules.derive(events, staff_status=self.status)
        founded_changed = typed_founded != derived.founded
        derived.apply(self)
        self.founded = typed_founded
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = [name for name in ("search_text", *event_rules.DERIVED_FIELDS)
                     if name not in update_fields]  # fmt: skip
            kwargs["update_fields"] = [*update_fields, *extra]
        super().save(*args, **kwargs)
        if founded_changed:
            # The event's signal saves this organization again with the derived values.
            event_rules.set_founded_year(self, typed_founded)
            self.refresh_from_db()

    def get_absolute_url(self):
        return reverse("directory:organization_detail", kwargs={"slug": self.slug})

    @property
    def status_since_date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.status_since, self.status_since_precision)

    @property
    def contacts_date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.contacts_as_of, self.contacts_as_of_precision)

    def build_search_text(self) -> str:
        return search_document(
            self.city_ru, self.city_en, self.description_ru, self.description_en,
            names=(
                self.name_ru, self.name_en, self.short_name_ru, self.short_name_en,
                *(self.former_names or "").splitlines(), *(self.aliases or "").splitlines(),
            ),
        )  # fmt: skip


class OrganizationEventQuerySet(models.QuerySet):
    def public(self):
        """Events the public may see; the others are staff notes."""
        return self.filter(is_public=True)


class OrganizationEvent(models.Model):
    """A dated step in an organization's life: founded, renamed, designated, liquidated ...

    The public events decide ``Organization.status``, ``status_since``, ``founded``,
    ``designations`` and ``former_names`` (``directory.events``).
    """

    class Kind(models.TextChoices):
        FOUNDED = "founded", pgettext_lazy("event", "founded")
        REGISTERED = "registered", pgettext_lazy("event", "registered")
        RENAMED = "renamed", pgettext_lazy("event", "renamed")
        FOREIGN_AGENT = (
            "foreign_agent",
            pgettext_lazy("event", "entered in the register of “foreign agents”"),
        )
        UNDESIRABLE = (
            "undesirable",
            pgettext_lazy("event", "declared an “undesirable organization”"),
        )
        LIQUIDATED = "liquidated", pgettext_lazy("event", "liquidated by a court")
        SUSPENDED = "suspended", pgettext_lazy("event", "suspended its work")
        RELOCATED = "relocated", pgettext_lazy("event", "moved its work abroad")
        CEASED = "ceased", pgettext_lazy("event", "ceased its work")
        RESUMED = "resumed", pgettext_lazy("event", "resumed its work")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=10, choices=Precision.choices, default=Precision.YEAR
    )
    country = models.ForeignKey(
        Region,
        verbose_name=_("country"),
        help_text=_("For a move abroad: the country the work moved to."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="relocations",
        limit_choices_to={"kind": Region.Kind.COUNTRY},
    )
    former_name = models.CharField(
        _("former name"), max_length=300, blank=True, help_text=_("For a renaming: the old name.")
    )
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="events"
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("When off, the event is seen by staff only.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["organization", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "founded", "registered", "renamed", "foreign_agent", "undesirable",
                        "liquidated", "suspended", "relocated", "ceased", "resumed",
                    ]
                ),
                name="organizationevent_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=list(Precision.values)),
                name="organizationevent_precision_valid",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["kind", "organization"], name="orgevent_kind_org_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.when.iso()}"

    @property
    def when(self) -> PartialDate:
        return PartialDate(self.date, self.date_precision)


class Phone(models.Model):
    class Kind(models.TextChoices):
        TEL = "tel", _("telephone")
        FAX = "fax", _("fax")
        MOBILE = "mobile", _("mobile")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="phones",
    )
    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEL)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["organization", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["tel", "fax", "mobile"]), name="phone_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(number=""), name="phone_number_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.number}"


class PersonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility.published())


class Person(models.Model):
    """A notable personality: an activist, an official, a researcher."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    title = models.CharField(
        pgettext_lazy("person", "title"),
        max_length=200,
        blank=True,
        help_text=_("Position, e.g. executive secretary."),
    )
    biography = models.TextField(_("biography"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    is_published = models.BooleanField(_("published"), default=False)
    organizations = models.ManyToManyField(
        Organization,
        through="Affiliation",
        verbose_name=_("organizations"),
        related_name="people",
        blank=True,
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="people"
    )
    is_demo = models.BooleanField(
        _("demo entry"),
        default=False,
        help_text=_("Generated, fictional data for demonstrations; never a real person."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.name, "person")
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:person_detail", kwargs={"slug": self.slug})

    def build_search_text(self) -> str:
        return search_document(
            self.title_ru, self.title_en, self.biography_ru, self.biography_en,
            names=(self.name_ru, self.name_en),
        )  # fmt: skip


class AffiliationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility.published("person__"), visibility.published("organization__"))


class Affiliation(models.Model):
    """A person's role in an organization: founder, board member, specialist ..."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("from (year)"), null=True, blank=True, validators=year_validators()
    )
    end_year = models.PositiveSmallIntegerField(
        _("until (year)"), null=True, blank=True, validators=year_validators()
    )

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["person", "organization"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(start_year__lte=F("end_year")),
                name="affiliation_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.organization}" + (f" ({self.role})" if self.role else "")


def running_in_year(year: int) -> Q:
    """Practices under way at some time in ``year``: begun in it or before, and ended in
    it or after or not ended (an unknown end is ongoing); an unknown start never matches."""
    return Q(start_date__year__lte=year) & (Q(end_date__isnull=True) | Q(end_date__year__gte=year))


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility.published())

    def running_in(self, year: int):
        return self.filter(running_in_year(year))


class Practice(models.Model):
    """Practical experience: what groups did, and what others can take from it.

    The networking project's second aim: regional groups learn from each other's
    practical experience. ``body`` and ``lessons`` are plain text (paragraphs split by
    blank lines, lines starting with "- " as list items), never HTML.
    """

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences."))
    body = models.TextField(
        _("what was done"),
        blank=True,
        help_text=_(
            'Plain text: paragraphs separated by a blank line; lines starting with "- " '
            "make a list. HTML is shown as typed, never run."
        ),
    )
    lessons = models.TextField(
        _("lessons for others"),
        blank=True,
        help_text=_("What other groups can take from this experience. Plain text, as above."),
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), related_name="practices", blank=True
    )
    activities = models.ManyToManyField(
        ActivityType, verbose_name=_("types of work"), related_name="practices", blank=True
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), related_name="practices", blank=True
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    start_date_precision = precision_field(_("start precision"))
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty when ongoing or not known.")
    )
    end_date_precision = precision_field(_("end precision"))
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="practices"
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(
        _("demo entry"),
        default=False,
        help_text=_("Generated, fictional data for demonstrations; never a real experience."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practical experience")
        verbose_name_plural = _("practical experience")
        ordering = ["title"]
        constraints = [
            *dated_constraints("practice", "start_date", "start_date_precision"),
            *dated_constraints("practice", "end_date", "end_date_precision"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="practice_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "title"], name="practice_pub_title_idx"),
            models.Index(fields=["is_published", "start_date"], name="practice_pub_start_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title_en or self.title_ru or self.title, "practice")
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:practice_detail", kwargs={"slug": self.slug})

    @property
    def start(self) -> PartialDate | None:
        return PartialDate.from_parts(self.start_date, self.start_date_precision)

    @property
    def end(self) -> PartialDate | None:
        return PartialDate.from_parts(self.end_date, self.end_date_precision)

    def build_search_text(self) -> str:
        return search_document(
            self.summary_ru, self.summary_en, self.body_ru, self.body_en,
            self.lessons_ru, self.lessons_en,
            names=(self.title_ru, self.title_en),
        )  # fmt: skip


class ContactMessage(models.Model):
    """One message a visitor sent to an organization through the site: a log for staff.

    Never the text, never the sender's address: only a keyed hash of it, enough to see
    that many messages came from one sender.
    """

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered to the mail server")
        FAILED = "failed", _("failed: not sent")
        REFUSED = "refused", _("refused by the abuse protection")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="contact_messages",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("Why it failed or was refused.")
    )
    sender_hash = models.CharField(_("sender (hashed)"), max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("message to an organization")
        verbose_name_plural = _("messages to organizations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["delivered", "failed", "refused"]),
                name="contactmessage_outcome_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_outcome_display()}"


class Submission(models.Model):
    """A correction or a new organization suggested by the public, pending moderation.

    Never public in any form. ``data`` holds the proposed values of the public fields
    (keys are the organization's field names, e.g. ``name_ru``, ``activities`` as slugs,
    ``region`` as a slug, ``phones`` as a list of numbers); the submitter's name and
    email are for staff only.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correction")
        NEW = "new", _("new organization")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
        help_text=_("The entry corrected; for a new organization, the entry made from it."),
    )
    data = models.JSONField(_("proposed values"), default=dict, blank=True)
    source_note = models.TextField(_("how do they know"), blank=True)
    submitter_name = models.CharField(_("submitter's name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("submitter's email"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("public submission")
        verbose_name_plural = _("public submissions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["correction", "new"]), name="submission_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="submission_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="submission_status_idx")]

    def __str__(self):
        return _("Public submission #%(number)s") % {"number": self.pk}


class DataVersion(models.Model):
    """One number that grows with every write to the public data (``directory.freshness``).

    A single row, changed in the same transaction as the write it counts, so a reader
    that sees the new data also sees the new number, on every app server at once.
    ``changed_at`` is written with the number (migration 0020 set it to its own time).
    """

    number = models.BigIntegerField(default=0)
    # When the number last grew: the data's last change (``Last-Modified`` of the files).
    changed_at = models.DateTimeField(_("last change"), null=True, blank=True)

    class Meta:
        verbose_name = _("data version")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="dataversion_single_row"),
        ]

    def __str__(self):
        return str(self.number)


class StagedImport(models.Model):
    """A CSV file waiting between its import preview and the confirmation.

    Kept in the database, not on an app server's disk, so the confirmation may land on
    any server behind the load balancer. Only the user who previewed it may confirm it.
    """

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file contents"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    fingerprint = models.CharField(_("preview fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staged import")
        verbose_name_plural = _("staged imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="stagedimport_created_idx")]

    def __str__(self):
        return self.filename

"""The "Legal Culture" seminar books and other publications."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory import visibility
from directory.models import (
    ActivityType,
    Organization,
    Person,
    Source,
    unique_slug,
    year_validators,
)
from rightsnet.text import SLUG_MAX_LENGTH, search_document


class Series(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="series",
    )

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name_en or self.name_ru or self.name, "series")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("publications:publication_list") + f"?series={self.slug}"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility.published())


class Publication(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("published")
        PLANNED = "planned", _("planned")

    title = models.CharField(_("title"), max_length=300)
    title_language = models.CharField(
        _("language of the title as the source gives it"),
        max_length=10,
        blank=True,
        help_text=_(
            "Language code, e.g. en when the source lists an English title of a Russian book. "
            "A title shown in another language is marked as a translation."
        ),
    )
    original_title = models.CharField(
        _("original title"),
        max_length=300,
        blank=True,
        help_text=_("The title in the language of the text, as printed; blank when not known."),
    )
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=year_validators()
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    language = models.CharField(
        _("language of the text"),
        max_length=10,
        blank=True,
        help_text=_("Language code of the text, e.g. ru or en."),
    )
    pages = models.PositiveIntegerField(
        _("pages"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    publisher = models.ForeignKey(
        Organization,
        verbose_name=_("publisher"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    editors = models.ManyToManyField(
        Person, verbose_name=_("editors"), blank=True, related_name="edited_publications"
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    topics = models.ManyToManyField(
        ActivityType, verbose_name=_("topics"), blank=True, related_name="publications"
    )
    is_published = models.BooleanField(
        _("shown on the site"), default=True, help_text=_("Drafts are never shown to the public.")
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="publications"
    )
    is_demo = models.BooleanField(
        _("demo entry"),
        default=False,
        help_text=_("Generated, fictional data for demonstrations; never a real publication."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["published", "planned"]),
                name="publication_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(pages__isnull=True) | Q(pages__gte=1), name="publication_pages_positive"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1800, year__lte=2100),
                name="publication_year_range",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                self, self.title_en or self.title_ru or self.title, "publication"
            )
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("publications:publication_detail", kwargs={"slug": self.slug})

    def build_search_text(self) -> str:
        return search_document(
            self.city_ru, self.city_en, self.description_ru, self.description_en,
            names=(self.title_ru, self.title_en, self.original_title),
        )  # fmt: skip

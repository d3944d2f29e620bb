"""factory_boy factories shared by every test."""

import datetime

import factory

from directory.dates import PartialDate
from directory.models import (
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
    Source,
)
from publications.models import Publication, Series


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_ru = factory.Sequence(lambda n: f"Регион {n}")
    kind = Region.Kind.SUBJECT


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    name_en = factory.Sequence(lambda n: f"Activity {n}")
    name_ru = factory.Sequence(lambda n: f"Деятельность {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Organization {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    kind = Organization.Kind.GROUP
    status = Organization.Status.ACTIVE
    region = factory.SubFactory(RegionFactory)
    is_published = True
    contacts_public = True

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(extracted)


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"+7 095 {n:03d}-00-00")
    kind = Phone.Kind.TEL


def _typed_date(kwargs: dict) -> dict:
    """``date`` given as text ("2023-01-25", "1997-01", "1976") sets its precision too."""
    if isinstance(kwargs.get("date"), str):
        when = PartialDate.parse(kwargs["date"])
        kwargs["date"], kwargs["date_precision"] = when.date, when.precision.value
    return kwargs


class SourceFactory(factory.django.DjangoModelFactory):
    """A source; ``date`` as text ("1997-01") sets its precision."""

    class Meta:
        model = Source

    title_en = factory.Sequence(lambda n: f"Source {n}")
    title_ru = factory.Sequence(lambda n: f"Источник {n}")
    is_public = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return _typed_date(kwargs)


class OrganizationEventFactory(factory.django.DjangoModelFactory):
    """An event; ``date`` as text ("2023-01-25", "1997-01", "1976") sets its precision."""

    class Meta:
        model = OrganizationEvent
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    kind = OrganizationEvent.Kind.FOUNDED
    date = datetime.date(1990, 1, 1)
    date_precision = "year"
    is_public = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return _typed_date(kwargs)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_en = factory.Sequence(lambda n: f"Person {n}")
    name_ru = factory.Sequence(lambda n: f"Персона {n}")
    is_published = True


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role_en = "board member"
    role_ru = "член правления"


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name_en = factory.Sequence(lambda n: f"Series {n}")
    name_ru = factory.Sequence(lambda n: f"Серия {n}")


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Publication {n}")
    title_ru = factory.Sequence(lambda n: f"Публикация {n}")
    year = 1993
    language = "ru"
    status = Publication.Status.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def editors(self, create, extracted, **kwargs):
        if create and extracted:
            self.editors.set(extracted)


class PracticeFactory(factory.django.DjangoModelFactory):
    """A published practice. Dates as text set their precision too: ``start``/``end``
    ("1992", "1997-01") or ``start_date``/``end_date`` given as such text;
    organizations, activities, regions and sources as lists."""

    class Meta:
        model = Practice
        skip_postgeneration_save = True

    title_en = factory.Sequence(lambda n: f"Practice {n}")
    title_ru = factory.Sequence(lambda n: f"Опыт {n}")
    summary_en = "What was done, in one sentence."
    summary_ru = "Что было сделано, в одном предложении."
    is_published = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for name in ("start", "end"):
            text = kwargs.pop(name, None)
            if isinstance(kwargs.get(f"{name}_date"), str):
                text = kwargs.pop(f"{name}_date")
            if text:
                when = PartialDate.parse(text)
                kwargs[f"{name}_date"] = when.date
                kwargs[f"{name}_date_precision"] = when.precision.value
        return kwargs

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


def perm_chambers(world, activities, count: int = 55) -> list:
    """``count`` organizations in a new Perm Krai under ``world.russia``: enough for two
    pages of a list. ``activities(n)`` gives the types of work of the n-th."""
    region = RegionFactory(name_en="Perm Krai", name_ru="Пермский край", parent=world.russia)
    return [
        OrganizationFactory(
            name_en=f"Perm Civic Chamber {n:02d}",
            name_ru=f"Пермская гражданская палата {n:02d}",
            city_en="Perm",
            city_ru="Пермь",
            description_en="Monitoring of places of detention.",
            description_ru="Мониторинг мест принудительного содержания.",
            region=region,
            activities=activities(n),
        )
        for n in range(count)
    ]

"""Publications and series: slugs, constraints, drafts, search text."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from publications.models import Publication, Series
from rightsnet.text import fold_latin
from tests.factories import (
    ActivityTypeFactory,
    OrganizationFactory,
    PersonFactory,
    PublicationFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def test_a_russian_only_title_gets_a_readable_unique_stable_slug():
    first = PublicationFactory(title_ru="Правовая культура", title_en="")
    second = PublicationFactory(title_ru="Правовая культура", title_en="")
    assert (first.slug, second.slug) == ("pravovaia-kultura", "pravovaia-kultura-2")
    first.title_en = "Legal Culture"
    first.save()
    first.refresh_from_db()
    assert first.slug == "pravovaia-kultura"


def test_a_series_slug_and_its_link_to_the_filtered_list():
    series = SeriesFactory(name_ru="Правовая культура", name_en="")
    assert series.slug == "pravovaia-kultura"
    assert series.get_absolute_url().endswith("?series=pravovaia-kultura")


@pytest.mark.parametrize(
    "values, field",
    [
        ({"status": "lost"}, "status"),
        ({"pages": 0}, "pages"),
        ({"year": 1700}, "year"),
        ({"year": 2500}, "year"),
    ],
)
def test_bad_values_are_refused_by_the_database_and_by_full_clean(values, field):
    publication = PublicationFactory()
    before = Publication.objects.filter(pk=publication.pk).values().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=publication.pk).update(**values)
    assert Publication.objects.filter(pk=publication.pk).values().get() == before

    for name, value in values.items():
        setattr(publication, name, value)
    with pytest.raises(ValidationError) as caught:
        publication.full_clean()
    assert field in caught.value.message_dict


def test_a_duplicate_slug_is_refused():
    taken = PublicationFactory(title_en="Individual Human Rights")
    other = PublicationFactory(title_en="Social Problems and Human Rights")
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=other.pk).update(slug=taken.slug)
    series, other_series = SeriesFactory(), SeriesFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Series.objects.filter(pk=other_series.pk).update(slug=series.slug)


def test_published_excludes_drafts_but_keeps_planned_books():
    book = PublicationFactory(title_en="Published book")
    planned = PublicationFactory(title_en="Planned book", status=Publication.Status.PLANNED)
    PublicationFactory(title_en="Draft", is_published=False)
    assert set(Publication.objects.published()) == {book, planned}


def test_a_book_with_no_page_count_is_valid():
    book = PublicationFactory(pages=None, year=1992)
    book.full_clean()
    assert Publication.objects.get(pk=book.pk).pages is None


def test_search_text_holds_the_russian_and_its_folded_latin_form():
    book = PublicationFactory(
        title_ru="Свобода слова",
        title_en="Freedom of Speech",
        city_ru="Москва",
        city_en="Moscow",
    )
    assert "‹  свобода  слова  ›" in book.search_text
    assert f"‹  {fold_latin('Svoboda slova').replace(' ', '  ')}  ›" in book.search_text
    assert "‹  freedom  of  speech  ›" in book.search_text
    assert "москва" in book.search_text


def test_topics_editors_and_publisher():
    publisher = OrganizationFactory(name_en="Moscow Helsinki Group")
    topic = ActivityTypeFactory(name_en="Freedom of movement")
    editor = PersonFactory(name_en="An Editor")
    book = PublicationFactory(publisher=publisher, topics=[topic], editors=[editor])
    assert list(publisher.publications.all()) == [book]
    assert list(topic.publications.all()) == [book]
    assert list(editor.edited_publications.all()) == [book]
    # Deleting the publisher keeps the book, without a publisher.
    publisher.delete()
    book.refresh_from_db()
    assert book.publisher is None

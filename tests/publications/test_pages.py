"""The publication page: the book's facts, and no draft publisher or editor."""

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from tests.factories import PersonFactory, PublicationFactory, SourceFactory
from tests.html import page
from tests.pages_data import ALL_MARKERS, DRAFT_MARKERS

pytestmark = pytest.mark.django_db


def url_in(language, publication):
    with translation.override(language):
        return publication.get_absolute_url()


def test_publication_page_shows_the_book(client, world):
    response = client.get(url_in("en", world.publication))
    assertContains(response, "<h1>The Nationalities Problem and Human Rights</h1>", html=True)
    assertContains(response, "<dt>Year</dt><dd>1993</dd>", html=True)
    assertContains(response, "<dt>City</dt><dd>Moscow</dd>", html=True)
    assertContains(response, "<dt>Pages</dt><dd>256</dd>", html=True)
    assertContains(response, "<dt>Language of the text</dt><dd>Russian</dd>", html=True)
    assertContains(response, 'href="/en/publications/?series=legal-culture"')
    assertContains(response, 'href="/en/organizations/moscow-helsinki-group/"')
    assertContains(response, 'href="/en/people/lyudmila-alexeyeva/"')
    assertContains(response, 'href="/en/publications/?topic=legal-defense"')
    assertNotContains(response, "Planned")
    for marker in ALL_MARKERS:
        assertNotContains(response, marker)


def test_publication_page_in_russian(client, world):
    response = client.get(url_in("ru", world.publication))
    assertContains(response, '<html lang="ru">')
    assertContains(response, "<dt>Язык текста</dt><dd>русский</dd>", html=True)
    assertContains(response, "Правовая культура")
    assertNotContains(response, "Language of the text")


def test_planned_book_is_marked_and_draft_publisher_hidden(client, world):
    response = client.get(url_in("en", world.planned))
    assertContains(response, '<span class="badge badge-planned">Planned</span>', html=True)
    assertContains(response, "<dt>Planned for</dt><dd>1996</dd>", html=True)
    assertNotContains(response, DRAFT_MARKERS["publisher"])
    assertNotContains(response, "<dt>Publisher</dt>", html=True)


def test_draft_and_unknown_publications_are_404(client, world):
    draft = PublicationFactory(is_published=False)
    assert client.get(url_in("ru", draft)).status_code == 404
    with translation.override("en"):
        url = reverse("publications:publication_detail", kwargs={"slug": "no-such-book"})
    assert client.get(url).status_code == 404


def test_publication_page_query_count_is_fixed(client, django_assert_num_queries, world):
    url = url_in("ru", world.publication)
    # The publication, its topics, editors and sources.
    with django_assert_num_queries(4):
        client.get(url)
    world.publication.editors.add(*[PersonFactory() for _ in range(4)])
    world.publication.topics.add(world.monitoring)
    world.publication.sources.add(*[SourceFactory() for _ in range(3)])
    with django_assert_num_queries(4):
        response = client.get(url)
    # The facts list alternates <dt> and <dd>: each term's value is the element after it.
    facts = page(response).find("dl", class_="facts").elements()
    values = {term.text: value for term, value in zip(facts[::2], facts[1::2], strict=True)}
    assert len(values["Редакторы"].find_all("a")) == 5


def test_unknown_language_code_is_shown_as_is(client):
    publication = PublicationFactory(language="uk")
    response = client.get(url_in("en", publication))
    assertContains(response, "<dt>Language of the text</dt><dd>uk</dd>", html=True)

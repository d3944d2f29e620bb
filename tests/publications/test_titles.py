"""Titles marked as translations: the note's rule, the pages and cards that show it, and
the admin fields it reads."""

import pytest
from django.urls import reverse
from django.utils import translation

from publications.models import Publication
from publications.titles import TitleNote, title_note
from tests.factories import PublicationFactory
from tests.html import page
from tests.staff import form_data, staff_user

pytestmark = pytest.mark.django_db


def note_text(language, **facts) -> str | None:
    """The note as a reader of a page in ``language`` reads it (None: no note)."""
    with translation.override(language):
        note = title_note(shown=language, **facts)
        return None if note is None else str(note.html())


# The seven "Legal Culture" books: Russian texts whose source (CCSI) gives English titles.
LEGAL_CULTURE = {"title_language": "en", "text_language": "ru", "original_title": ""}


def test_a_russian_page_calls_the_russian_title_a_translation_of_the_sources_english():
    assert note_text("ru", **LEGAL_CULTURE) == (
        "Перевод названия с английского; оригинальное название не установлено."
    )


def test_an_english_page_shows_the_sources_own_title_and_says_the_russian_one_is_unknown():
    assert note_text("en", **LEGAL_CULTURE) == (
        "Title as given by the source, in English; the original Russian title is not known."
    )


def test_a_known_original_title_is_shown_in_its_own_language():
    facts = {**LEGAL_CULTURE, "original_title": "Права человека & <суд>"}
    assert note_text("ru", **facts) == (
        "Перевод названия с английского; "
        'оригинальное название: <cite lang="ru">Права человека &amp; &lt;суд&gt;</cite>.'
    )
    assert note_text("en", **facts) == (
        "Title as given by the source, in English; "
        'original title: <cite lang="ru">Права человека &amp; &lt;суд&gt;</cite>.'
    )


def test_a_title_in_the_language_the_source_gave_and_of_the_text_needs_no_note():
    assert note_text("ru", title_language="ru", text_language="ru", original_title="") is None
    assert note_text("en", title_language="en", text_language="en", original_title="") is None


def test_a_translation_of_an_original_title_the_source_gave():
    facts = {"title_language": "ru", "text_language": "ru", "original_title": "Судебная защита"}
    assert note_text("en", **facts) == (
        'Title translated from Russian; original title: <cite lang="ru">Судебная защита</cite>.'
    )
    assert note_text("ru", **facts) is None


def test_an_english_book_whose_source_gives_a_russian_title():
    facts = {"title_language": "ru", "text_language": "en", "original_title": ""}
    assert note_text("ru", **facts) == (
        "Название дано по источнику, на русском; оригинальное английское название не установлено."
    )
    assert note_text("en", **facts) == (
        "Title translated from Russian; the original title is not known."
    )


def test_without_the_language_of_the_text_only_the_translation_is_said():
    facts = {"title_language": "en", "text_language": "", "original_title": ""}
    assert note_text("ru", **facts) == "Перевод названия с английского."
    assert note_text("en", **facts) is None


def test_without_the_language_of_the_title_only_a_known_original_is_shown():
    unknown = {"title_language": "", "text_language": "ru", "original_title": ""}
    assert note_text("ru", **unknown) is None
    assert note_text("en", **unknown) is None
    known = {**unknown, "original_title": "Судебная защита"}
    assert note_text("ru", **known) is None
    assert note_text("en", **known) == ('Original title: <cite lang="ru">Судебная защита</cite>.')


def test_other_languages_are_named_by_their_code():
    facts = {"title_language": "de", "text_language": "uk", "original_title": ""}
    assert note_text("ru", **facts) == (
        "Перевод названия с другого языка (de); оригинальное название (uk) не установлено."
    )
    assert note_text("en", **facts) == (
        "Title translated from another language (de); the original title (uk) is not known."
    )


def test_whatever_staff_type_as_a_code_is_escaped():
    facts = {"title_language": '"><b>', "text_language": '"<i x=', "original_title": "<T>"}
    assert note_text("en", **facts) == (
        "Title translated from another language (&quot;&gt;&lt;b&gt;); "
        'original title: <cite lang="&quot;&lt;i x=">&lt;T&gt;</cite>.'
    )


def test_typed_codes_are_read_leniently():
    assert title_note(
        shown="ru-RU", title_language=" EN ", text_language="Ru", original_title=" "
    ) == TitleNote(translated_from="en", original_not_known=True)


# Pages and cards.


def legal_culture_book(**fields) -> Publication:
    facts = {
        "title_en": "Judicial Defense of Human Rights",
        "title_ru": "Судебная защита прав человека",
        "title_language": "en",
        "language": "ru",
    }
    return PublicationFactory(**{**facts, **fields})


def detail(client, language, publication):
    with translation.override(language):
        return page(client.get(publication.get_absolute_url()))


def card(client, language, publication):
    with translation.override(language):
        response = client.get(reverse("publications:publication_list"))
        url = publication.get_absolute_url()
    cards = page(response).find("ol", class_="result-list").items()
    return next(item for item in cards if item.find("a")["href"] == url)


def test_the_publication_page_says_its_title_is_a_translation(client):
    book = legal_culture_book()

    ru = detail(client, "ru", book).find("article")
    assert ru.find("h1").text == "Судебная защита прав человека"
    assert ru.find("p", class_="title-note").text == (
        "Перевод названия с английского; оригинальное название не установлено."
    )
    en = detail(client, "en", book).find("article")
    assert en.find("h1").text == "Judicial Defense of Human Rights"
    assert en.find("p", class_="title-note").text == (
        "Title as given by the source, in English; the original Russian title is not known."
    )


def test_the_page_shows_a_known_original_title_marked_with_its_language(client):
    book = legal_culture_book(original_title="Судебная защита прав человека в России")

    note = detail(client, "en", book).find("p", class_="title-note")
    assert note.find("cite", lang="ru").text == "Судебная защита прав человека в России"
    assert note.text == (
        "Title as given by the source, in English; "
        "original title: Судебная защита прав человека в России ."  # the cite, then "."
    )


def test_a_title_shown_from_the_other_language_is_judged_in_that_language(client):
    """A Russian page of a book with only the source's English title shows that title."""
    book = legal_culture_book(title_ru="")

    ru = detail(client, "ru", book).find("article")
    assert ru.find("h1").find("span", lang="en").text == "Judicial Defense of Human Rights"
    assert ru.find("p", class_="title-note").text == (
        "Название дано по источнику, на английском; оригинальное русское название не установлено."
    )


def test_a_title_with_no_recorded_language_has_no_note(client):
    book = PublicationFactory(title_en="Human Rights", title_ru="Права человека", language="ru")

    for language in ("ru", "en"):
        assert detail(client, language, book).find_all("p", class_="title-note") == []
        assert card(client, language, book).find_all("p", class_="title-note") == []


def test_the_list_card_carries_the_note(client):
    book = legal_culture_book()

    assert card(client, "ru", book).find("p", class_="title-note").text == (
        "Перевод названия с английского; оригинальное название не установлено."
    )
    assert card(client, "en", book).find("p", class_="title-note").text == (
        "Title as given by the source, in English; the original Russian title is not known."
    )


def test_editors_set_the_title_language_and_original_title_in_one_fieldset(client):
    client.force_login(staff_user("editor", group="Editors"))
    book = legal_culture_book(title_language="")
    url = reverse("admin:publications_publication_change", args=[book.pk])

    response = client.get(url)
    fieldsets = {}
    for fieldset in page(response).find_all("fieldset", class_="module"):
        heading = fieldset.find_all("h2")
        inputs = [
            element["name"]
            for element in fieldset.find_all()
            if element.tag in {"input", "select", "textarea"} and element.attrs.get("name")
        ]
        fieldsets[heading[0].text if heading else ""] = inputs
    assert fieldsets["Название и язык"] == ["language", "title_language", "original_title"]
    # Every editable field is in a fieldset: none was lost from the form (the translated
    # fields in their two languages).
    editable = {
        field.name
        for field in [*Publication._meta.fields, *Publication._meta.many_to_many]
        if field.editable and not field.primary_key
    } - {"title", "city", "description"}
    assert {name for names in fieldsets.values() for name in names} == editable

    client.post(url, form_data(response, title_language="en", original_title="Судебная защита"))

    book.refresh_from_db()
    assert (book.title_language, book.original_title) == ("en", "Судебная защита")
    assert detail(client, "en", book).find("p", class_="title-note").text == (
        "Title as given by the source, in English; original title: Судебная защита ."
    )

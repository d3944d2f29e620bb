"""The story the site tells of itself (about page, home page, footer), told truthfully,
and how a reader corrects an entry."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.html import page

pytestmark = pytest.mark.django_db

TSYURUSIN = (
    "The database is not just a simple documentation of who and where these groups are, but "
    "it also contains information about the type of work that these groups are doing. We are "
    "trying to create the database so that it can be used effectively by the groups in the "
    "regions."
)
# Claims the seeds do not support: that rightsnet continues the Moscow Helsinki Group's
# database, or that its editors are at the group.
UNSUPPORTED = (
    "continues",
    "editors at the Moscow Helsinki Group",
    "grew out of",
    "begun by the Moscow Helsinki Group",
    "продолжает",
    "вырос из",
    "редакторам в Московской",
)


def get(client, language, name):
    with translation.override(language):
        return page(client.get(reverse(name)))


def test_the_about_page_tells_where_rightsnet_comes_from(client):
    article = get(client, "en", "directory:about").find("article")

    text = article.text
    assert "rightsnet is an independent directory" in text
    assert (
        "The Center for Civil Society International (CCSI) described the project and its "
        'database in its "NIS Third Sector Organizations" section, last updated in January 1997.'
    ) in text
    assert article.find("cite", lang="en").text == "The Post-Soviet Handbook"
    assert "(Seattle and London: University of Washington Press, 1999)" in text
    assert "seven books in Russian, published in Moscow in 1992–1994" in text
    assert (
        "It is not run by the Moscow Helsinki Group, CCSI or any organization it lists, "
        "and it does not speak for any of them."
    ) in text
    quote = article.find("figure", class_="quote")
    assert quote.find("blockquote").text == TSYURUSIN
    assert quote.find("figcaption").text == (
        "Andrei Tsyurusin, technical specialist, as quoted by CCSI"
    )


def test_the_russian_about_page_marks_the_quote_as_a_translation(client):
    article = get(client, "ru", "directory:about").find("article")

    assert "rightsnet — независимый справочник" in article.text
    assert "Ни Московская Хельсинкская группа, ни CCSI" in article.text
    assert article.find("figcaption").text == (
        "Андрей Цюрусин, технический специалист; цитата по тексту CCSI, перевод с английского"
    )
    assert "«Правовая культура» (название дано в переводе" in article.text


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", ["directory:about", "directory:home"])
def test_no_page_claims_to_continue_or_speak_for_the_moscow_helsinki_group(client, language, name):
    text = get(client, language, name).find("body").text
    assert [claim for claim in UNSUPPORTED if claim in text] == []


def test_the_home_page_says_what_rightsnet_is(client):
    box = get(client, "en", "directory:home").find("section", class_="about-box")
    assert box.find("p").text == (
        "An independent directory of human rights groups, related NGOs, commissions and "
        "people across the former Soviet Union. It is rebuilt from the database that the "
        "Moscow Helsinki Group's networking project created and that the Center for Civil "
        "Society International (CCSI) described in January 1997, and kept up to date by its "
        "editors."
    )
    box = get(client, "ru", "directory:home").find("section", class_="about-box")
    assert box.find("p").text.startswith("Независимый справочник правозащитных групп")
    assert "в январе 1997 года описал Международный центр гражданского общества" in (
        box.find("p").text
    )


def corrections(client, language):
    """The paragraphs of the "Corrections and new entries" section."""
    article = get(client, language, "directory:about").find("article")
    heading = article.find("h2", id="corrections")
    after = article.elements()[article.elements().index(heading) + 1 :]
    return after[:2]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_corrections_point_to_the_public_forms(client, settings, language):
    settings.RIGHTSNET_CONTACT_EMAIL = ""

    paragraph, last = corrections(client, language)
    link = paragraph.find("a")
    assert link["href"] == f"/{language}/suggest/"
    assert link.text == {"en": "add an organization", "ru": "добавьте организацию"}[language]
    assert {
        "en": "use “Suggest a correction” at the bottom of its contacts",
        "ru": "нажмите «Предложить исправление» под её контактами",
    }[language] in paragraph.text
    # Without a contact address, no mailto paragraph: the next one is about groups at risk.
    assert "mailto:" not in str(last)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_contact_address_is_a_mailto_link(client, settings, language):
    settings.RIGHTSNET_CONTACT_EMAIL = "editors@example.org"

    _suggest, paragraph = corrections(client, language)
    link = paragraph.find("a")
    assert (link["href"], link.text) == ("mailto:editors@example.org", "editors@example.org")
    assert {
        "en": "You may also write to the editors of rightsnet at editors@example.org",
        "ru": "Можно также написать редакции rightsnet по адресу editors@example.org",
    }[language] in paragraph.text

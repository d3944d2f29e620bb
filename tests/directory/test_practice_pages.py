"""Practical experience on the public site: its page, and its sections on the organization,
type of work, region and home pages. Published practices only; safe plain text."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains, assertNotContains

from directory import freshness
from directory.dates import PartialDate, period
from directory.models import Practice
from directory.templatetags.rightsnet import plain_text
from tests.factories import (
    ActivityTypeFactory,
    OrganizationFactory,
    PracticeFactory,
    RegionFactory,
    SourceFactory,
)
from tests.html import page
from tests.pages_data import DRAFT_MARKERS

pytestmark = pytest.mark.django_db


def url(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def practice_url(language, practice):
    with translation.override(language):
        return practice.get_absolute_url()


def added(practice, days_ago):
    """Date ``practice``'s creation ``days_ago`` days back (the lists put the newest first)."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Practice.objects.filter(pk=practice.pk).update(created_at=when)


# The period


def when(text):
    return PartialDate.parse(text) if text else None


@pytest.mark.parametrize(
    ("start", "end", "en", "ru"),
    [
        ("1992", "1994", "1992–1994", "1992–1994 гг."),
        ("1997-01", None, "since January 1997", "с января 1997 г."),
        ("1996", None, "since 1996", "с 1996 г."),
        (None, "1994", "until 1994", "до 1994 г."),
        (None, "1994-03", "until March 1994", "до марта 1994 г."),
        (None, "1994-03-05", "until 5 March 1994", "до 5 марта 1994 г."),
        ("1992-03", "1994", "March 1992 – 1994", "март 1992 г. – 1994 г."),
        ("1993", "1993", "1993", "1993 г."),
        (None, None, "", ""),
    ],
)
def test_period_in_both_languages(start, end, en, ru):
    assert period(when(start), when(end), "en") == en
    assert period(when(start), when(end), "ru") == ru


# Plain text, rendered safely


def test_plain_text_makes_paragraphs_and_lists():
    text = "First paragraph,\nsecond line.\r\n\r\nBooks:\n- One\n- Two\n  \nLast."
    assert plain_text(text) == (
        "<p>First paragraph,<br>second line.</p>\n"
        "<p>Books:</p>\n<ul><li>One</li><li>Two</li></ul>\n"
        "<p>Last.</p>"
    )


def test_plain_text_escapes_everything():
    text = '<script>alert(1)</script>\n\n- <b onclick="x()">bold</b> & "quoted"\n\n<a href=x>'
    html = plain_text(text)
    assert "<script" not in html and "<b" not in html and "<a " not in html
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        "<ul><li>&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt; "
        "&amp; &quot;quoted&quot;</li></ul>\n"
        "<p>&lt;a href=x&gt;</p>"
    )


def test_plain_text_of_nothing_is_nothing():
    assert plain_text("") == ""
    assert plain_text(None) == ""
    assert plain_text("\n\n  \n") == ""


def test_plain_text_filter_in_a_template_is_not_escaped_twice():
    rendered = Template("{% load rightsnet %}{{ text|plain_text }}").render(
        Context({"text": "a < b\n- c & d"})
    )
    assert rendered == "<p>a &lt; b</p>\n<ul><li>c &amp; d</li></ul>"


def test_html_in_a_practice_is_shown_as_typed_and_never_runs(client):
    practice = PracticeFactory(
        title_en="<i>Title</i>",
        summary_en="<img src=x onerror=alert(1)>",
        body_en="<script>alert('body')</script>\n\n- <em>item</em>",
        lessons_en="</div><script>alert('lessons')</script>",
    )
    response = client.get(practice_url("en", practice))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<em>" not in html and "<i>Title" not in html
    assertContains(response, "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;")
    assertContains(response, "<li>&lt;em&gt;item&lt;/em&gt;</li>")
    assertContains(response, "&lt;/div&gt;&lt;script&gt;alert(&#x27;lessons&#x27;)")
    body = page(response).find("section", aria_labelledby="body-title")
    assert body.find("p").text == "<script>alert('body')</script>"


# The practice page


def test_practice_page_shows_what_a_reader_needs(client, world):
    for language in ("en", "ru"):
        document = page(client.get(practice_url(language, world.practice)))
        entry = document.find("article", class_="entry")
        assert (
            entry.find("h1").text
            == {
                "en": "Legal Culture seminars",
                "ru": "Семинары «Правовая культура»",
            }[language]
        )
        assert (
            entry.find("p", class_="lead").text
            == {
                "en": "Legal education through seminars.",
                "ru": "Правовое просвещение через семинары.",
            }[language]
        )
        assert (
            entry.find("dd", class_="period").text
            == {
                "en": "1992–1994",
                "ru": "1992–1994 гг.",
            }[language]
        )
        # Who did it: the published organization, linked; the draft is not named.
        who = entry.find("ul", class_="practice-organizations")
        assert [item.find("a")["href"] for item in who.items()] == [
            practice_url(language, world.org)
        ]
        # Types of work and regions link to the practices list filtered by them.
        practices = url(language, "directory:practice_list")
        activities = entry.find("ul", class_="practice-activities")
        assert [a["href"] for a in activities.find_all("a")] == [
            f"{practices}?activity=legal-defense"
        ]
        regions = entry.find("ul", class_="practice-regions")
        assert [a["href"] for a in regions.find_all("a")] == [f"{practices}?region=podolsk"]
        body = entry.find("section", aria_labelledby="body-title")
        assert [item.text for item in body.find("ul").items()] == {
            "en": ["The first book", "The second book"],
            "ru": ["Первая книга", "Вторая книга"],
        }[language]
        lessons = entry.find("section", aria_labelledby="lessons-title")
        assert (
            lessons.find("h2").text
            == {
                "en": "What others can take from it",
                "ru": "Что можно взять из этого опыта",
            }[language]
        )
        assert document.find("head").find_all("meta", name="robots") == []
    response = client.get(practice_url("en", world.practice))
    assertNotContains(response, DRAFT_MARKERS["parent"])
    assertNotContains(response, DRAFT_MARKERS["practice"])


def test_practice_page_cites_public_sources_only(client):
    public = SourceFactory(title_en="Public report", title_ru="Открытый доклад")
    hidden = SourceFactory(title_en="Phone call zqhidden", is_public=False)
    practice = PracticeFactory(sources=[public, hidden])
    sources = page(client.get(practice_url("en", practice))).find("section", class_="sources")
    assert [item.text for item in sources.find("ul").items()] == ["Public report"]


def test_an_unknown_period_and_empty_parts_are_left_out(client):
    practice = PracticeFactory(summary_en="", summary_ru="", organizations=[])
    document = page(client.get(practice_url("en", practice)))
    entry = document.find("article", class_="entry")
    assert entry.find_all("dd", class_="period") == []
    assert entry.find_all("p", class_="lead") == []
    assert entry.find("dl", class_="facts").elements() == []
    assert entry.find_all("section") == []


def test_a_period_with_a_start_only_says_since(client):
    practice = PracticeFactory(start="1997-01")
    for language, text in (("en", "since January 1997"), ("ru", "с января 1997 г.")):
        document = page(client.get(practice_url(language, practice)))
        assert document.find("dd", class_="period").text == text


def test_text_in_the_other_language_is_marked(client):
    practice = PracticeFactory(body_ru="", body_en="Only in English.\n\n- a point")
    response = client.get(practice_url("ru", practice))
    body = page(response).find("section", aria_labelledby="body-title")
    marked = body.find("div", lang="en")
    assert marked.find("p").text == "Only in English."
    assert body.find("small", class_="fallback-note").text == "(на английском)"


def test_unpublished_and_unknown_practices_are_404(client, world):
    for language in ("ru", "en"):
        assert client.get(practice_url(language, world.draft_practice)).status_code == 404
        missing = url(language, "directory:practice_detail", slug="no-such-practice")
        assert client.get(missing).status_code == 404


def test_a_demo_practice_says_so_and_is_not_indexed(client):
    practice = PracticeFactory(is_demo=True)
    for language, label, note in (
        ("en", "Demo", "Demonstration data: an invented experience, not a real group's."),
        ("ru", "Демо", "Демонстрационные данные: вымышленный опыт, а не опыт настоящей группы."),
    ):
        document = page(client.get(practice_url(language, practice)))
        demo = document.find("article", class_="entry").find("p", class_="demo-entry")
        assert demo.text == f"{label} {note}"
        robots = document.find("head").find_all("meta", name="robots")
        assert [meta["content"] for meta in robots] == ["noindex"]


def test_other_experience_shares_a_type_of_work_newest_first_real_before_demo(client, world):
    legal, education = world.legal, ActivityTypeFactory()
    shown = []
    for n in range(6):
        other = PracticeFactory(title_en=f"Other {n}", activities=[legal, education])
        added(other, days_ago=n)
        shown.append(other)
    demo = PracticeFactory(title_en="Demo other", activities=[legal], is_demo=True)
    added(demo, days_ago=-1)  # the newest, yet after the real ones
    PracticeFactory(title_en="Unrelated", activities=[education])
    PracticeFactory(title_en="Draft other", activities=[legal], is_published=False)
    document = page(client.get(practice_url("en", world.practice)))
    others = document.find("section", aria_labelledby="others-title").find("ul")
    assert [item.find("a").text for item in others.items()] == [
        "Other 0", "Other 1", "Other 2", "Other 3", "Other 4",
    ]  # fmt: skip
    # Shown once however many types of work it shares, and never the page's own practice.
    assert practice_url("en", world.practice) not in [a["href"] for a in others.find_all("a")]


def test_no_other_experience_without_a_type_of_work(client):
    practice = PracticeFactory()
    PracticeFactory(activities=[ActivityTypeFactory()])
    document = page(client.get(practice_url("en", practice)))
    assert document.find_all("section", aria_labelledby="others-title") == []


def test_practice_page_query_count_is_fixed(client, django_assert_num_queries, world):
    target = practice_url("en", world.practice)
    # The data version, the practice with its sources, organizations, types of work and
    # regions, the other experience; then the cache until the next write.
    with django_assert_num_queries(7):
        client.get(target)
    with django_assert_num_queries(1):
        client.get(target)
    for _n in range(4):
        world.practice.organizations.add(OrganizationFactory(region=world.city))
        world.practice.activities.add(ActivityTypeFactory())
        world.practice.regions.add(RegionFactory(parent=world.russia))
        world.practice.sources.add(SourceFactory())
        PracticeFactory(activities=[world.legal], organizations=[world.org])
    with django_assert_num_queries(7):
        response = client.get(target)
    entry = page(response).find("article", class_="entry")
    assert len(entry.find("ul", class_="practice-organizations").items()) == 5
    assert len(entry.find("ul", class_="practice-activities").items()) == 5
    assert len(entry.find("ul", class_="practice-regions").items()) == 5
    assert len(entry.find("section", class_="sources").find("ul").items()) == 4
    assert len(entry.find("section", aria_labelledby="others-title").find("ul").items()) == 4


def test_a_write_shows_at_once(client, world):
    target = practice_url("en", world.practice)
    client.get(target)
    world.practice.title_en = "Renamed seminars"
    world.practice.save()
    assertContains(client.get(target), "<h1>Renamed seminars</h1>", html=True)
    Practice.objects.filter(pk=world.practice.pk).update(is_published=False)
    # A set-based write bumps the version itself.
    freshness.bump()
    assert client.get(target).status_code == 404


# The organization page


def test_organization_page_lists_its_published_practices(client, world):
    for language, title in (("en", "Practical experience"), ("ru", "Практический опыт")):
        document = page(client.get(practice_url(language, world.org)))
        section = document.find("section", aria_labelledby="practices-title")
        assert section.find("h2").text == title
        (item,) = section.find("ul").items()
        assert item.find("a")["href"] == practice_url(language, world.practice)
        assert (
            item.find("span", class_="meta").text
            == {
                "en": "— 1992–1994",
                "ru": "— 1992–1994 гг.",
            }[language]
        )
        assert (
            item.find("p", class_="practice-summary").text
            == {
                "en": "Legal education through seminars.",
                "ru": "Правовое просвещение через семинары.",
            }[language]
        )
    # Placed after the types of work, before the sources.
    html = client.get(practice_url("en", world.org)).content.decode()
    assert html.index('id="activities-title"') < html.index('id="practices-title"')
    assert html.index('id="practices-title"') < html.index('id="people-title"')


def test_an_organization_without_practices_has_no_such_section(client, world):
    document = page(client.get(practice_url("en", world.partner)))
    assert document.find_all("section", aria_labelledby="practices-title") == []


# Landing pages and the home page


def test_activity_page_shows_the_latest_practices_and_links_to_all(client, world):
    for n in range(6):
        added(PracticeFactory(title_en=f"Legal {n}", activities=[world.legal]), days_ago=n + 1)
    added(world.practice, days_ago=10)
    response = client.get(url("en", "directory:activity_detail", slug="legal-defense"))
    section = page(response).find("section", aria_labelledby="practices-title")
    assert [item.find("a").text for item in section.find("ul").items()] == [
        f"Legal {n}" for n in range(5)
    ]
    more = section.find("p", class_="more").find("a")
    assert more["href"] == "/en/practices/?activity=legal-defense"
    assert more.text == "All experience in “Legal defense”"
    assertNotContains(response, DRAFT_MARKERS["practice"])
    russian = page(client.get(url("ru", "directory:activity_detail", slug="legal-defense")))
    more = russian.find("section", aria_labelledby="practices-title").find("p", class_="more")
    assert more.text == "Весь опыт по виду работы «Правовая защита»"


def test_activity_page_without_practices_has_no_such_section(client, world):
    response = client.get(url("en", "directory:activity_detail", slug="monitoring"))
    assert page(response).find_all("section", aria_labelledby="practices-title") == []


def test_region_page_shows_practices_of_its_sub_regions_too(client, world):
    in_city = PracticeFactory(title_en="In Podolsk", regions=[world.city])
    added(in_city, days_ago=1)
    added(world.practice, days_ago=2)
    PracticeFactory(title_en="Russia-wide", regions=[world.russia])
    # Two regions of the subtree: listed once.
    both = PracticeFactory(title_en="Oblast and city", regions=[world.moscow_oblast, world.city])
    added(both, days_ago=3)
    response = client.get(url("en", "directory:region_detail", slug="moscow-oblast"))
    section = page(response).find("section", aria_labelledby="practices-title")
    assert [item.find("a").text for item in section.find("ul").items()] == [
        "In Podolsk", "Legal Culture seminars", "Oblast and city",
    ]  # fmt: skip
    more = section.find("p", class_="more").find("a")
    assert more["href"] == "/en/practices/?region=moscow-oblast"
    assert more.text == "All experience in Moscow Oblast"
    assertNotContains(response, DRAFT_MARKERS["practice"])
    city = page(client.get(url("ru", "directory:region_detail", slug="podolsk")))
    section = city.find("section", aria_labelledby="practices-title")
    # One level down: the city's own practices only.
    assert [item.find("a").text for item in section.find("ul").items()] == [
        in_city.title_ru,
        world.practice.title_ru,
        both.title_ru,
    ]


def test_home_page_learns_from_others_real_entries_first(client, world):
    demo = PracticeFactory(title_en="Demo practice", is_demo=True)
    added(demo, days_ago=-1)
    added(world.practice, days_ago=1)
    for language, heading, link in (
        ("en", "Learn from others", "All practical experience"),
        ("ru", "Учиться у других", "Весь практический опыт"),
    ):
        response = client.get(url(language, "directory:home"))
        section = page(response).find("section", aria_labelledby="practices-title")
        assert section.find("h2").text == heading
        items = section.find("ul").items()
        assert [item.find("a")["href"] for item in items] == [
            practice_url(language, world.practice),
            practice_url(language, demo),
        ]
        assert items[1].find_all("span", class_="badge-demo") != []
        assert items[0].find_all("span", class_="badge-demo") == []
        links = [a for a in section.find_all("a") if a.text == link]
        assert [a["href"] for a in links] == [url(language, "directory:practice_list")]
        assertNotContains(response, DRAFT_MARKERS["practice"])


def test_home_page_without_practices_has_no_such_section(client):
    assert page(client.get("/en/")).find_all("section", aria_labelledby="practices-title") == []


def test_a_new_practice_reaches_the_cached_home_page(client, world):
    assert "Fresh practice" not in client.get("/en/").content.decode()
    PracticeFactory(title_en="Fresh practice")
    assertContains(client.get("/en/"), "Fresh practice")

"""The list page's layout in real Chromium at 390×844 and 1280×900, in both languages:
results within the first screen, "Filters (N active)" on a phone, landing at the result
count after a filter changes, with JavaScript (in place, History API) and without."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ActivityTypeFactory, perm_chambers

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
LANGUAGES = pytest.mark.parametrize("language", ["ru", "en"])
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
THREE_FILTERS = "?activity=monitoring&region=russia&kind=group"
FILTERS = {"ru": "Фильтры", "en": "Filters"}


@pytest.fixture
def world(live_world):
    """The shared world and two pages of organizations (every facet has options)."""
    # The longest type of work of the sample data, in both languages.
    documentation = ActivityTypeFactory(
        name_en="Freedom of speech and media", name_ru="Документирование нарушений"
    )
    perm_chambers(
        live_world,
        lambda n: [live_world.monitoring] if n % 2 else [live_world.legal, documentation],
    )
    return live_world


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    bottom = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= bottom


def count_number(page) -> str:
    return re.sub(r"\D", "", page.locator("#result-count").inner_text())


def open_filters_on_a_phone(page):
    if page.viewport_size["width"] < 768:
        page.locator(".filters-toggle").click()
    expect(page.locator("#facets")).to_be_visible()


@SIZES
@LANGUAGES
@pytest.mark.parametrize("query", ["", THREE_FILTERS], ids=["all", "three-filters"])
def test_first_result_within_the_first_screen(
    page, world, screenshot_dir, viewport, language, query
):
    page.goto(f"/{language}/organizations/{query}")
    first = page.locator(".result-list > li").first.locator("h2, h3").first
    assert first.is_visible()
    assert in_viewport(page, first), first.bounding_box()
    assert in_viewport(page, page.locator("#result-count"))
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if query:
        # Three filter values chosen: the control says so.
        assert (
            page.locator("#filters-count").text_content()
            == {
                "ru": "(выбрано: 3)",
                "en": "(3 active)",
            }[language]
        )
        assert page.locator(".chips .chip").count() == 3
    suffix = "-3-filters" if query else ""
    page.screenshot(
        path=str(screenshot_dir / f"organization_list-{language}-{viewport['width']}{suffix}.png")
    )


@SIZES
@LANGUAGES
def test_a_facet_updates_the_list_in_place(page, world, screenshot_dir, viewport, language):
    page.goto(f"/{language}/organizations/")
    total = count_number(page)
    page.evaluate("window.sameDocument = true")
    open_filters_on_a_phone(page)
    page.locator('input[name="activity"][value="monitoring"]').check()
    page.wait_for_url(re.compile(r"activity=monitoring"))
    expect(page.locator(".chips .chip")).to_have_count(1)
    filtered = count_number(page)
    assert filtered != total
    # No reload: the window is the same one, the address changed through the History API.
    assert page.evaluate("window.sameDocument") is True
    count = page.locator("#result-count")
    assert in_viewport(page, count)
    assert count.evaluate("el => el === document.activeElement")
    assert count.get_attribute("role") == "status"
    assert page.locator('input[name="activity"][value="monitoring"]').is_checked()
    # The filters stay open on a phone (and always shown on a desktop).
    assert page.locator("#facets").is_visible()
    if viewport == PHONE:
        active = {"ru": "(выбрано: 1)", "en": "(1 active)"}[language]
        toggle = page.locator(".filters-toggle").inner_text()
        assert toggle.split() == [FILTERS[language], *active.split()]

    # Back restores the previous list, still without a reload; Forward the filtered one.
    page.go_back()
    page.wait_for_url(lambda url: "activity=" not in url)
    expect(page.locator("#result-count")).to_contain_text(total)
    assert not page.locator('input[name="activity"][value="monitoring"]').is_checked()
    expect(page.locator(".chips .chip")).to_have_count(0)
    page.go_forward()
    page.wait_for_url(re.compile(r"activity=monitoring"))
    expect(page.locator("#result-count")).to_contain_text(filtered)
    assert page.evaluate("window.sameDocument") is True
    page.screenshot(
        path=str(screenshot_dir / f"organization_list-{language}-{viewport['width']}-js-1.png")
    )


@pytest.mark.parametrize("javascript", [False], ids=["nojs"])
@SIZES
@LANGUAGES
def test_without_javascript_apply_lands_at_the_count(
    page, world, screenshot_dir, viewport, language, javascript
):
    page.goto(f"/{language}/organizations/")
    total = count_number(page)
    open_filters_on_a_phone(page)
    page.locator('input[name="activity"][value="monitoring"]').check()
    apply = {"ru": "Применить фильтры", "en": "Apply filters"}[language]
    page.get_by_role("button", name=apply).click()
    page.wait_for_url(re.compile(r"activity=monitoring.*#result-count$"))
    assert count_number(page) != total
    assert in_viewport(page, page.locator("#result-count"))
    page.screenshot(
        path=str(screenshot_dir / f"organization_list-{language}-{viewport['width']}-nojs-1.png")
    )


@JS
@LANGUAGES
def test_pages_land_at_the_count(page, world, language, javascript):
    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/organizations/")
    if javascript:
        page.evaluate("window.sameDocument = true")
    label = {"ru": "Страницы результатов", "en": "Pages of results"}[language]
    nav = page.get_by_role("navigation", name=label)
    expect(nav).to_contain_text({"ru": "Страница 1 из 2", "en": "Page 1 of 2"}[language])
    nav.locator('a[rel="next"]').click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(nav).to_contain_text({"ru": "Страница 2 из 2", "en": "Page 2 of 2"}[language])
    assert in_viewport(page, page.locator("#result-count"))
    if javascript:
        assert page.evaluate("window.sameDocument") is True


@JS
@LANGUAGES
def test_the_filters_control_opens_and_closes_on_a_phone(page, world, language, javascript):
    page.set_viewport_size(PHONE)
    page.goto(f"/{language}/organizations/")
    control = page.locator(".filters-toggle")
    assert control.inner_text() == FILTERS[language]
    assert not page.locator("#facets").is_visible()
    control.click()
    expect(page.locator("#facets")).to_be_visible()
    assert page.locator('input[name="activity"][value="monitoring"]').is_visible()
    control.click()
    expect(page.locator("#facets")).to_be_hidden()


@JS
@LANGUAGES
def test_on_a_desktop_the_facets_are_a_column(page, world, language, javascript):
    page.goto(f"/{language}/organizations/")
    assert not page.locator(".filters-toggle").is_visible()
    facets = page.locator("#facets")
    assert facets.is_visible()
    results = page.locator(".results").bounding_box()
    column = facets.bounding_box()
    assert column["x"] + column["width"] < results["x"]  # side by side, facets first
    # The longest type of work of the sample data and its count stay on one line.
    longest = {"ru": "Документирование", "en": "Freedom"}[language]
    option = facets.locator("li").filter(has_text=longest)
    label = option.locator("a").first
    assert label.evaluate("el => el.getClientRects().length") == 1
    label_box, number_box = label.bounding_box(), option.locator(".facet-count").bounding_box()
    assert abs(label_box["y"] - number_box["y"]) < label_box["height"] / 2

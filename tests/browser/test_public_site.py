"""The public site in real Chromium: search, facets, language switch, with and without JS."""

import re

import pytest

from tests.factories import perm_chambers
from tests.pages_data import ALL_MARKERS

pytestmark = pytest.mark.browser

NO_JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])


@pytest.fixture
def world(live_world):
    """The shared world and enough entries to fill a first page and show pagination."""
    world = live_world
    perm_chambers(world, lambda n: [world.monitoring] if n % 2 else [world.legal])
    return world


def apply_filters(page, javascript):
    """With JS a checkbox submits the form itself; without it the button does."""
    if not javascript:
        page.get_by_role("button", name=re.compile("Применить|Apply")).first.click()
    page.wait_for_load_state()


@NO_JS
def test_search_in_russian_and_open_an_organization(page, world, javascript):
    page.goto("/ru/organizations/")
    page.locator("#q").fill("хельсинкская")
    page.locator(".search-row button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=%D1%85"))
    results = page.locator(".result-list .result")
    assert results.count() == 1
    assert "1" in page.locator("#result-count").inner_text()
    results.first.get_by_role("link").first.click()
    page.wait_for_url(re.compile("/ru/organizations/moscow-helsinki-group/"))
    assert page.locator("h1").inner_text() == "Московская Хельсинкская группа"
    assert page.locator("html").get_attribute("lang") == "ru"
    body = page.content()
    for marker in ALL_MARKERS:
        assert marker not in body


@NO_JS
def test_tick_untick_facet_and_switch_language(page, world, javascript):
    page.goto("/ru/organizations/")
    total = page.locator("#result-count").inner_text()
    box = page.locator('input[name="activity"][value="monitoring"]')
    box.check()
    apply_filters(page, javascript)
    page.wait_for_url(re.compile(r"activity=monitoring"))
    assert page.locator('input[name="activity"][value="monitoring"]').is_checked()
    filtered = page.locator("#result-count").inner_text()
    assert filtered != total
    assert page.locator(".chips .chip").count() >= 1

    # Switch language: same page, same filters, English interface.
    page.locator(".lang-switch a").click()
    page.wait_for_url(re.compile(r"/en/organizations/\?.*activity=monitoring"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('input[name="activity"][value="monitoring"]').is_checked()
    assert page.locator("h1").inner_text() == "Organizations"
    assert re.sub(r"\D", "", page.locator("#result-count").inner_text()) == re.sub(
        r"\D", "", filtered
    )

    # Untick: back to every organization.
    page.locator('input[name="activity"][value="monitoring"]').uncheck()
    apply_filters(page, javascript)
    # A Python predicate: a string one would be eval'd in the page, which our CSP forbids.
    page.wait_for_url(lambda url: "activity=monitoring" not in url)
    assert re.sub(r"\D", "", page.locator("#result-count").inner_text()) == re.sub(r"\D", "", total)


def test_skip_link_and_focus_are_visible(page, world):
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_screenshots_of_the_list(page, world, screenshot_dir, viewport, language):
    page.goto(f"/{language}/organizations/?activity=monitoring&region=russia")
    assert page.locator("html").get_attribute("lang") == language
    # Nothing wider than the window: no sideways scrolling on a phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    shot = screenshot_dir / f"organizations-{language}-{viewport}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_screenshots_of_an_organization(page, world, screenshot_dir, viewport):
    page.goto("/ru/organizations/moscow-helsinki-group/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    shot = screenshot_dir / f"organization-ru-{viewport}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_print_shows_the_results_without_controls(page, world):
    page.goto("/en/organizations/?activity=monitoring")
    page.emulate_media(media="print")
    assert page.locator(".result-list .result").first.is_visible()
    assert page.locator(".results-header .chips").is_visible()
    for hidden in [".facets", ".site-nav", ".lang-switch", ".search-row", ".site-footer"]:
        assert not page.locator(hidden).first.is_visible(), hidden


CONTRAST_JS = """
(selectors) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg && !bg.startsWith("rgba(0, 0, 0, 0)") && bg !== "transparent") return bg;
    }
    return "rgb(255, 255, 255)";
  };
  return selectors.map((selector) => {
    const el = document.querySelector(selector);
    if (!el) return [selector, null];
    const a = lum(getComputedStyle(el).color), b = lum(background(el));
    return [selector, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}
"""


def test_text_contrast_is_at_least_aa(page, world):
    page.goto("/en/organizations/?activity=monitoring")
    selectors = [
        "body", ".site-nav a", ".site-tagline", ".result h2 a", ".result .meta",
        ".facet-count", ".facet-empty", ".chip", "button", ".site-footer", ".clear-all",
    ]  # fmt: skip
    ratios = dict(page.evaluate(CONTRAST_JS, selectors))
    low = {s: r for s, r in ratios.items() if r is not None and r < 4.5}
    assert low == {}
    assert ratios["body"] is not None and ratios[".result h2 a"] is not None

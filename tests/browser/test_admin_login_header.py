"""Chromium: the admin's header on its login page and inside, whole at phone and desktop
widths in both languages, and the login page's one h1."""

import pytest
from django.urls import reverse

from tests.staff import PASSWORD, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
    ids=["390", "1280"],
)
LANGUAGES = pytest.mark.parametrize(
    "browser_locale, language", [("ru-RU", "ru"), ("en-US", "en")], ids=["ru", "en"]
)
TITLES = {"ru": "Администрирование rightsnet", "en": "rightsnet administration"}
SWITCH = {"ru": "Переключить", "en": "Switch"}


def assert_header_whole(page, language):
    """The title reads in full and the language switch sits inside the window."""
    width = page.viewport_size["width"]
    title = page.locator("#site-name a")
    assert title.inner_text().strip() == TITLES[language]
    clipped = title.evaluate(
        "el => [el, el.parentElement, document.querySelector('#branding'),"
        " document.querySelector('#header')].filter((e) => e.scrollWidth > e.clientWidth)"
        ".map((e) => e.id || e.tagName)"
    )
    assert clipped == []
    for locator in (title, page.locator("#language-switch button[type=submit]")):
        box = locator.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.locator("#language-switch button[type=submit]").inner_text() == SWITCH[language]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@SIZES
@LANGUAGES
def test_login_page_header_is_whole_and_has_one_h1(page, screenshot_dir, viewport, language):
    page.goto(reverse("admin:login"))
    assert page.locator("html").get_attribute("lang") == language
    assert_header_whole(page, language)
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == {"ru": "Войти", "en": "Log in"}[language]
    page.screenshot(path=str(screenshot_dir / f"admin-login-{language}-{viewport['width']}.png"))


@SIZES
@LANGUAGES
def test_admin_index_header_is_whole(page, screenshot_dir, viewport, language):
    staff_user("editor", superuser=True)
    page.goto(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: url.endswith(reverse("admin:index")))
    assert_header_whole(page, language)
    assert page.locator("#user-tools").is_visible()
    page.screenshot(path=str(screenshot_dir / f"admin-index-{language}-{viewport['width']}.png"))

"""Proves the browser-test machinery: real Chromium against the live server."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_russian_home_page_declares_russian(page, screenshot_dir, viewport):
    response = page.goto("/ru/")

    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "ru"
    shot = screenshot_dir / f"smoke-home-ru-{viewport}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000

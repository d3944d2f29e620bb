"""Fixtures shared by every test."""

import os
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.pages_data import World, build_world
from tests.smtp import smtp_down, smtp_inbox  # noqa: F401 (fixtures: a real SMTP server)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Russian, the site's default language."""
    with translation.override("ru"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: its data is not the previous test's.

    (Each test's writes are rolled back, so the data version of ``directory.freshness``
    can come back to a number that an earlier test's pages were cached under.)
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db) -> World:
    """The shared data (tests/pages_data.py): a published directory with drafts and
    restricted contacts planted in every relation, each hidden value a unique marker."""
    return build_world()


@pytest.fixture
def live_world(transactional_db) -> World:
    """The same data committed, for a live server in another thread (browser tests)."""
    return build_world()


# Browser tests (marked `browser`): real Chromium driven through Playwright's sync API
# against pytest-django's `live_server`. Select them with `-m browser`, leave them out
# with `-m "not browser"`. They never skip: a missing browser is a failure.

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 900},
}
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole session (Debian's binary; Playwright cannot download)."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        pytest.fail(
            f"Chromium is needed for the browser tests but {executable} does not exist. "
            "Run `make test` as root (it installs Debian's chromium), or install it "
            "(`apt-get install chromium`), or set CHROMIUM_PATH to a Chromium binary.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread from
    # start to stop, so Django's async-safety check would refuse every ORM call made
    # by the tests (SynchronousOnlyOperation) while the browser is up, in browser
    # tests and in the tests that run after them. The ORM is in fact used
    # synchronously here, so the check is switched off for as long as Playwright runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=executable, args=CHROMIUM_ARGS, headless=True
                )
            except Exception as exc:
                pytest.fail(f"Chromium at {executable} did not start: {exc}", pytrace=False)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport():
    """Window size for `page`: "phone", "desktop" or a dict; override by parametrizing."""
    return "desktop"


@pytest.fixture
def javascript():
    """Whether `page` runs JavaScript; parametrize with False for no-script tests."""
    return True


@pytest.fixture
def browser_locale():
    """The browser's language (sent as Accept-Language); parametrize to change it."""
    return "ru-RU"


@pytest.fixture
def page(
    chromium,
    live_server,
    django_db_serialized_rollback,
    transactional_db,
    viewport,
    javascript,
    browser_locale,
):
    """A fresh browser context per test, its base URL the live server (page.goto("/ru/")).

    The live server runs in another thread, so the test's data must be committed
    (`transactional_db`: tables are emptied after each test). Serialized rollback
    puts back what migrations created (e.g. the Editors and Viewers groups) before
    each browser test, so the order of tests does not matter.
    """
    size = VIEWPORTS[viewport] if isinstance(viewport, str) else viewport
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=size,
        java_script_enabled=javascript,
        locale=browser_locale,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    """var/screenshots/ (git-ignored), where browser tests save what they saw."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once, as a deployment does, for gunicorn with debug off."""
    from tests.servers import collect_static

    target = tmp_path_factory.mktemp("staticfiles")
    collect_static(target)
    return target

"""Chromium: every page type under the Content-Security-Policy, with no violation reported.

An init script records each ``securitypolicyviolation`` event before any page script
runs; console errors and uncaught exceptions are collected too. Each page is checked
to carry the policy (so "no violation" is not for want of a policy), and its
JavaScript enhancements are exercised: the facet checkboxes that submit the form,
the admin's tabbed translation fields, its calendar and the import page.
"""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from directory.models import Organization
from tests.pages_data import public_urls
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.browser

LANGUAGES = ["ru", "en"]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


class Watcher:
    """What went wrong in the browser: CSP violations, console errors, page errors."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: message.type == "error" and self.console.append(message.text),
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def violations(self) -> list[dict]:
        return self.page.evaluate("window.__cspViolations || []")

    def visit(self, url: str, status: int = 200):
        response = self.page.goto(url)
        assert response is not None and response.status == status, (url, response)
        headers = response.headers
        policy = headers.get("content-security-policy", "")
        directives = dict(
            part.strip().partition(" ")[::2] for part in policy.split(";") if part.strip()
        )
        # Pages: this site only; the sitemap's XML: nothing at all.
        assert directives.get("default-src") in {"'self'", "'none'"}, (url, policy)
        assert "unsafe" not in directives["script-src"], (url, policy)
        if directives["default-src"] == "'self'":
            assert directives["style-src"] == "'self'", (url, policy)
        assert "camera=()" in headers.get("permissions-policy", ""), url
        self.page.wait_for_load_state("load")
        self.assert_clean(url)
        return response

    def assert_clean(self, where: str):
        assert self.violations() == [], where
        csp_console = [text for text in self.console if "Content Security Policy" in text]
        assert csp_console == [], where
        assert self.errors == [], where


def urls(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def public_pages(world, language: str) -> list[tuple[str, int]]:
    """Every page type (tests/pages_data.py's public URLs, the lists, a filtered list) and
    two missing pages: a typed address and a draft's."""
    lists = [
        urls(name, language)
        for name in (
            "directory:organization_list",
            "directory:person_list",
            "publications:publication_list",
        )
    ]
    filtered = f"{lists[0]}?region={world.russia.slug}&activity={world.legal.slug}"
    filtered += "&kind=group&sort=-updated"
    missing = [
        f"/{language}/no-such-page/",
        urls("directory:organization_detail", language, slug=world.draft_org.slug),
    ]
    pages = [*public_urls(world, language), *lists, filtered]
    return [(url, 200) for url in pages] + [(url, 404) for url in missing]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_type_without_a_csp_violation(page, live_world, language):
    watcher = Watcher(page)
    for url, status in public_pages(live_world, language):
        watcher.visit(url, status)
    for url in ["/sitemap.xml", "/sitemap-organizations.xml", "/robots.txt"]:
        watcher.visit(url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_organization_json_ld_is_allowed_and_readable(page, live_world, language):
    watcher = Watcher(page)
    response = watcher.visit(
        urls("directory:organization_detail", language, slug=live_world.org.slug)
    )
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9+/=]+'", policy), policy
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() == 1
    data = json.loads(blocks.first.text_content())
    assert data["@context"] == "https://schema.org"
    assert (
        data["name"]
        == {"ru": "Московская Хельсинкская группа", "en": "Moscow Helsinki Group"}[language]
    )
    watcher.assert_clean("json-ld")


@pytest.mark.parametrize("language", LANGUAGES)
def test_facet_checkboxes_update_the_list_under_the_policy(page, live_world, language):
    watcher = Watcher(page)
    watcher.visit(urls("directory:organization_list", language))
    checkbox = page.locator("form[data-facets] input[type=checkbox]:not([disabled])").first
    checkbox.check()
    # facets.js fetched the new list and changed the address itself.
    page.wait_for_url(lambda url: "?" in url)
    page.wait_for_load_state("load")
    watcher.assert_clean(page.url)


def test_a_violation_would_be_seen(page, live_world):
    """The listener is live: an inline script added to a page is blocked and reported."""
    watcher = Watcher(page)
    watcher.visit(urls("directory:home", "ru"))
    with pytest.raises(Exception):  # noqa: B017 - Playwright's own error type
        page.add_script_tag(content="window.__inline = 1;")
    page.wait_for_timeout(100)
    assert page.evaluate("window.__inline") is None
    violations = watcher.violations()
    assert violations and violations[0]["directive"].startswith("script-src")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_works_under_the_policy(page, live_world, language):
    # A superuser sees every admin page an editor sees. The Editors group comes from a
    # migration, and once non-transactional tests have run in the session, the flush
    # before a browser test can leave it out (serialized rollback does not restore it).
    staff_user("editor", superuser=True)
    org = Organization.objects.get(pk=live_world.org.pk)
    watcher = Watcher(page)
    watcher.visit(reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    # The admin's own language switch (a form posting to /i18n/setlang/).
    page.select_option("#admin-language", language)
    with page.expect_navigation():
        page.click("#language-switch button[type=submit]")
    watcher.assert_clean("language switch")
    assert page.locator("html").get_attribute("lang") == language

    watcher.visit(reverse("admin:directory_organization_changelist"))
    watcher.visit(reverse("admin:directory_organization_change", args=[org.pk]))
    # modeltranslation's tabs (jQuery UI, served locally): one tab per language.
    tabs = page.locator(".ui-tabs-nav").first
    assert tabs.is_visible()
    tabs.locator("li").nth(1).click()
    assert page.locator("#id_name_en").is_visible()
    assert page.locator("#id_name_ru").is_hidden()
    tabs.locator("li").nth(0).click()
    assert page.locator("#id_name_ru").is_visible()
    # The calendar shortcut of a date field (admin's DateTimeShortcuts.js).
    page.locator("#id_last_verified").fill("")
    page.locator(".datetimeshortcuts a").first.click()
    assert re.fullmatch(
        r"\d{2}[./]\d{2}[./]\d{4}|\d{4}-\d{2}-\d{2}",
        page.locator("#id_last_verified").input_value(),
    )
    watcher.assert_clean("change form")

    watcher.visit(reverse("admin:directory_organization_history", args=[org.pk]))
    watcher.visit(reverse("admin:directory_organization_import"))
    assert page.locator("#import-file").is_visible()
    watcher.visit(reverse("admin:index"))

"""axe-core finds no accessibility violation on any type of page, in both languages, on a
phone and a desktop; a full-page screenshot of each is saved to var/screenshots/.

The axe-core of package.json (node_modules/, installed by `make test` through
scripts/ensure-frontend-tools) is injected into each page. Its rules: WCAG 2.0, 2.1 and
2.2 at levels A and AA, and axe's best practices.

axe comes in as the browser context's init script (through the DevTools protocol): the
site's Content-Security-Policy forbids inline scripts, which `page.add_script_tag` would
add, and with an init script the pages need no ``bypass_csp`` and are checked exactly as
they are served, their policy in force.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import SCREENSHOT_DIR
from tests.page_types import build_page_world, page_types

pytestmark = pytest.mark.browser

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIZES = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}
LOCALES = {"ru": "ru-RU", "en": "en-US"}

RUN_AXE = """
(tags) => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then((results) => results.violations.map((v) => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
})))
"""


@pytest.fixture
def axe_source():
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE}). Run `make test` (scripts/ensure-frontend-tools "
            "installs node/npm from Debian when missing, as root, and runs `npm ci`), "
            "or run `npm ci`.",
            pytrace=False,
        )
    return AXE


def report(violations_by_page: dict[str, list[dict]]) -> str:
    lines = []
    for url, violations in violations_by_page.items():
        for v in violations:
            lines.append(f"{url}: {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {n['target']}\n      {n['summary']}" for n in v["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("language", LOCALES)
def test_no_accessibility_violation_on_any_page(
    chromium, live_server, transactional_db, django_db_serialized_rollback, axe_source, language
):
    world = build_page_world()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    found = {}
    for width, viewport in SIZES.items():
        context = chromium.new_context(
            base_url=live_server.url, viewport=viewport, locale=LOCALES[language]
        )
        context.set_default_timeout(15_000)
        # An init script comes in through the DevTools protocol, not as a script element,
        # so axe runs in each page under the site's real Content-Security-Policy.
        context.add_init_script(path=axe_source)
        page = context.new_page()
        try:
            for name, url in page_types(world, language):
                response = page.goto(url)
                assert response.status == (404 if name == "not-found" else 200), url
                assert "script-src 'self'" in response.headers["content-security-policy"], url
                page.wait_for_load_state("load")
                assert page.locator("html").get_attribute("lang") == language, url
                shot = SCREENSHOT_DIR / f"{name}-{language}-{width}.png"
                page.screenshot(path=shot, full_page=True)
                violations = page.evaluate(RUN_AXE, RULE_TAGS)
                if violations:
                    found[f"{width} px {url}"] = violations
        finally:
            context.close()
    if found:
        pytest.fail(f"axe-core found violations in {language}:\n{report(found)}", pytrace=False)

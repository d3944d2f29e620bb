"""Every type of page in both languages is valid HTML for the Nu Html Checker (vnu-jar).

The pages are fetched with the test client, written to a folder, and checked in one run
of the checker (starting Java is most of its cost). The checker and Java come from
`make test` (scripts/ensure-frontend-tools); without them this test fails.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.page_types import build_page_world, page_types

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
MISSING_TOOLS = (
    "Run `make test` (scripts/ensure-frontend-tools installs node/npm and Java from Debian "
    "when missing, as root, and runs `npm ci`), or install Java and run `npm ci`."
)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            f"The Nu Html Checker needs Java, which is missing. {MISSING_TOOLS}", pytrace=False
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"The Nu Html Checker is missing ({VNU_JAR}). {MISSING_TOOLS}", pytrace=False)
    return [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    command = vnu_command()
    world = build_page_world()
    files = []
    for language, accept in (("ru", "ru-RU,ru"), ("en", "en-US,en")):
        for name, url in page_types(world, language):
            response = client.get(url, headers={"accept-language": accept})
            expected = 404 if name == "not-found" else 200
            assert response.status_code == expected, url
            assert response["Content-Type"].startswith("text/html"), url
            path = tmp_path / f"{name}-{language}.html"
            path.write_bytes(response.content)
            files.append(path)

    run = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, timeout=300)
    # vnu prints its JSON report on stderr and exits non-zero when it found errors.
    try:
        messages = json.loads(run.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The Nu Html Checker did not report (exit {run.returncode}): {run.stderr}")
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m.get('message')}"
        f"\n    {m.get('extract', '').strip()}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    if errors:
        pytest.fail(f"{len(errors)} HTML errors:\n" + "\n".join(errors), pytrace=False)
    assert run.returncode == 0, run.stderr

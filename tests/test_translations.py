"""The Russian catalogue is complete, compiles, and is what Russian pages show."""

import gettext
import shutil

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.utils import translation

from directory.management.commands.compiletranslations import compile_po
from directory.models import Organization

LOCALE = django_settings.BASE_DIR / "locale"
RU_PO = LOCALE / "ru" / "LC_MESSAGES" / "django.po"


def ru_catalogue() -> polib.POFile:
    return polib.pofile(str(RU_PO))


def test_every_russian_msgid_has_a_translation():
    untranslated = [
        entry.msgid
        for entry in ru_catalogue()
        if not entry.obsolete
        and not (
            all(form.strip() for form in entry.msgstr_plural.values())
            if entry.msgid_plural
            else entry.msgstr.strip()
        )
    ]
    assert untranslated == [], f"untranslated in {RU_PO}: {untranslated}"


def test_no_russian_entry_is_fuzzy():
    po = ru_catalogue()
    fuzzy = [entry.msgid for entry in po if entry.fuzzy and not entry.obsolete]
    assert fuzzy == [], f"fuzzy in {RU_PO} (check and remove the flag): {fuzzy}"
    assert not po.metadata_is_fuzzy, f"the header of {RU_PO} is marked fuzzy"


def test_russian_plural_entries_have_every_form():
    po = ru_catalogue()
    expected = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [
        entry.msgid for entry in po if entry.msgid_plural and len(entry.msgstr_plural) != expected
    ]
    assert short == [], f"plural entries without all {expected} Russian forms: {short}"


@pytest.mark.parametrize("language", ["ru", "en"])
def test_catalogue_compiles_to_a_working_mo(tmp_path, language):
    po_path = tmp_path / "django.po"
    shutil.copy(LOCALE / language / "LC_MESSAGES" / "django.po", po_path)

    compile_po(po_path)

    with open(tmp_path / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    if language == "ru":
        assert catalogue.gettext("organizations") == "организации"
        assert catalogue.gettext("(in English)") == "(на английском)"
    else:
        assert catalogue.gettext("organizations") == "organizations"


def test_fuzzy_translations_are_left_out_of_the_mo(tmp_path):
    po_path = tmp_path / "django.po"
    po_path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "region"\nmsgstr "регион?"\n\n'
        'msgid "regions"\nmsgstr "регионы"\n',
        encoding="utf-8",
    )

    translated, fuzzy = compile_po(po_path)

    with open(tmp_path / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert (translated, fuzzy) == (1, 1)
    assert catalogue.gettext("region") == "region"
    assert catalogue.gettext("regions") == "регионы"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('msgid "region"\nmsgstr "регион\n', 'line 2: not valid PO syntax: msgstr "регион'),
        ('msgid "region"\nmsgstrr "регион"\n', "line 2: not valid PO syntax"),
        (
            '#, python-format\nmsgid "%(count)s groups"\nmsgstr "%(число)s групп"\n',
            "unknown placeholder(s) число",
        ),
        ('msgid "a"\nmsgstr "б"\n\nmsgid "a"\nmsgstr "в"\n', "already exists"),
    ],
)
def test_a_broken_catalogue_fails_with_the_reason(tmp_path, settings, content, message):
    broken = tmp_path / "xx" / "LC_MESSAGES" / "django.po"
    broken.parent.mkdir(parents=True)
    broken.write_text(content, encoding="utf-8")
    settings.LOCALE_PATHS = [tmp_path]

    with pytest.raises(CommandError) as error:
        call_command("compiletranslations")

    assert str(broken) in str(error.value)
    assert message in str(error.value)
    assert not broken.with_suffix(".mo").exists()


def test_model_labels_render_in_russian():
    template = Template("{{ opts.verbose_name_plural|capfirst }}: {{ kind }}")
    context = Context(
        {
            "opts": Organization._meta,
            "kind": Organization.Kind.GROUP.label,
        }
    )

    with translation.override("ru"):
        russian = template.render(context)
    with translation.override("en"):
        english = template.render(context)

    assert russian == "Организации: правозащитная группа"
    assert english == "Organizations: human rights group"


@pytest.mark.django_db
def test_admin_index_lists_the_models_in_the_staff_members_language(admin_client):
    russian = admin_client.get(f"/{django_settings.ADMIN_URL}", HTTP_ACCEPT_LANGUAGE="ru")
    english = admin_client.get(f"/{django_settings.ADMIN_URL}", HTTP_ACCEPT_LANGUAGE="en")

    assert russian.status_code == english.status_code == 200
    assert "Справочник" in russian.text
    assert "Направления работы" in russian.text
    assert "Types of work" not in russian.text
    assert "Types of work" in english.text

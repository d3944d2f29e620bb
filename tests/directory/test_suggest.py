"""The public's forms: "Suggest a correction" on an organization page, "Add an organization"."""

import html
import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from directory.models import Submission
from tests.html import page

pytestmark = pytest.mark.django_db


def started(seconds_ago: float = 30) -> str:
    """The signed start time a form gets when shown, ``seconds_ago``."""
    return signing.dumps(time.time() - seconds_ago, salt="rightsnet.abuse.started")


def url(name: str, language: str = "ru", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fields_of(response) -> dict:
    """The form's fields as a browser would send them untouched."""
    form = page(response).find("form", id="suggest-form")
    values = {}
    for element in form.find_all("input"):
        kind = element.attrs.get("type")
        name = element.attrs.get("name")
        if not name or kind == "submit":
            continue
        if kind == "checkbox":
            if "checked" in element.attrs:
                values.setdefault(name, []).append(element["value"])
            continue
        values[name] = element.attrs.get("value") or ""
    for name, text in re.findall(
        r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    ):
        values[name] = html.unescape(text).strip("\n")
    for element in form.find_all("select"):
        chosen = [o["value"] for o in element.find_all("option") if "selected" in o.attrs]
        values[element["name"]] = chosen[0] if chosen else ""
    values["started"] = started()
    return values


def test_the_correction_form_starts_from_the_public_values(client, world):
    response = client.get(url("directory:organization_suggest", slug=world.org.slug))
    assert response.status_code == 200
    values = fields_of(response)
    assert values["name_ru"] == "Московская Хельсинкская группа"
    assert values["name_en"] == "Moscow Helsinki Group"
    assert values["city"] == "Подольск"
    assert values["address"] == "ул. Открытая, 1"
    assert values["postal_code"] == "101000"
    assert values["email"] == "mhg@example.org"
    assert values["region"] == world.city.slug
    assert values["kind"] == "group"
    assert sorted(values["activities"]) == sorted([world.legal.slug, world.monitoring.slug])
    # Telephone and mobile; the fax is not a "phone" here.
    assert values["phones"].splitlines() == ["+7 095 206-81-71", "+7 916 000-00-01"]
    assert values["homepage"] == ""


def test_the_english_page_writes_city_and_description_in_english(client, world):
    response = client.get(url("directory:organization_suggest", "en", slug=world.org.slug))
    values = fields_of(response)
    assert values["city"] == "Podolsk"
    assert values["address"] == "1 Open Street"
    assert values["description"] == ""
    assert "The city, description and address are written in the language of this page" in (
        response.content.decode()
    )


def test_restricted_contacts_are_not_prefilled_and_a_note_says_why(client, world):
    response = client.get(url("directory:organization_suggest", slug=world.restricted.slug))
    text = response.content.decode()
    values = fields_of(response)
    assert (values["address"], values["postal_code"], values["email"], values["phones"]) == (
        "", "", "", "",
    )  # fmt: skip
    assert "ЗАКРЫТЫЙ" not in text and "zq" not in text
    note = page(response).find("p", id="restricted-note")
    assert "не публикуются ради безопасности" in note.text


def test_drafts_and_unknown_slugs_have_no_form(client, world):
    for slug in (world.draft_org.slug, "no-such-group"):
        response = client.get(url("directory:organization_suggest", slug=slug))
        assert response.status_code == 404


def test_a_correction_stores_only_what_differs_from_the_public_values(client, world):
    form_url = url("directory:organization_suggest", slug=world.org.slug)
    values = fields_of(client.get(form_url))
    values.update(
        city="Москва",
        description="Основана в 1976 году.",
        phones="+7 095 206-81-71\n+7 495 000-00-00",
        source="Я там работаю",
        submitter_email="reader@example.org",
        submitter_name="Читатель",
    )
    response = client.post(form_url, values)
    assert response.status_code == 302
    assert response["Location"] == url("directory:suggest_thanks") + "?note=1"
    submission = Submission.objects.get()
    assert submission.kind == "correction"
    assert submission.organization == world.org
    assert submission.status == "pending"
    assert submission.language == "ru"
    assert submission.data == {
        "city_ru": "Москва",
        "description_ru": "Основана в 1976 году.",
        "phones": ["+7 095 206-81-71", "+7 495 000-00-00"],
    }
    assert submission.source_note == "Я там работаю"
    assert (submission.submitter_name, submission.submitter_email) == (
        "Читатель", "reader@example.org",
    )  # fmt: skip

    thanks = client.get(response["Location"])
    assert "Редакция рассмотрит его" in thanks.content.decode()
    assert "вы получите короткое письмо" in thanks.content.decode()


def test_a_correction_that_changes_nothing_is_refused(client, world):
    form_url = url("directory:organization_suggest", "en", slug=world.org.slug)
    values = fields_of(client.get(form_url))
    values["source"] = "Their website"
    response = client.post(form_url, values)
    assert response.status_code == 200
    assert "Nothing differs from the entry yet" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_new_organization_in_english(client, world):
    response = client.post(
        url("directory:suggest", "en"),
        {
            "name_en": "Tver Rights Watch",
            "kind": "group",
            "region": world.moscow_oblast.slug,
            "city": "Tver",
            "activities": [world.legal.slug],
            "description": "Monitors prisons.",
            "phones": "+7 000 111\n\n +7 000 222 ",
            "email": "watch@example.org",
            "website": "tver-watch.example.org",
            "source": "I volunteer there",
            "started": started(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/suggest/thanks/"
    submission = Submission.objects.get()
    assert submission.kind == "new" and submission.organization is None
    assert submission.language == "en"
    assert submission.data == {
        "name_en": "Tver Rights Watch",
        "kind": "group",
        "region": world.moscow_oblast.slug,
        "city_en": "Tver",
        "activities": [world.legal.slug],
        "description_en": "Monitors prisons.",
        "phones": ["+7 000 111", "+7 000 222"],
        "email": "watch@example.org",
        "website": "https://tver-watch.example.org",
    }
    thanks = client.get(response["Location"]).content.decode()
    assert "They will review it before anything on the site changes" in thanks
    assert "short note" not in thanks


@pytest.mark.parametrize("language", ["ru", "en"])
def test_missing_name_and_source_are_explained(client, world, language):
    response = client.post(url("directory:suggest", language), {"started": started()})
    assert response.status_code == 200
    text = response.content.decode()
    assert {
        "ru": "Обязательное поле.",
        "en": "This field is required.",
    }[language] in text
    response = client.post(
        url("directory:suggest", language), {"source": "x", "started": started()}
    )
    assert {
        "ru": "Укажите название организации по-русски или по-английски.",
        "en": "Please give the organization's name in Russian or in English.",
    }[language] in html.unescape(response.content.decode())
    assert not Submission.objects.exists()


def test_bad_choices_and_sizes_are_refused_with_the_text_kept(client, world):
    response = client.post(
        url("directory:suggest", "en"),
        {
            "name_en": "Group",
            "kind": "spies",
            "region": "nowhere",
            "activities": ["nothing"],
            "city": "c" * 121,
            "description": "d" * 5001,
            "phones": "\n".join(["+7 000"] * 11),
            "email": "not an address",
            "website": "ftp://files.example.org/",
            "source": "my own words",
            "started": started(),
        },
    )
    assert response.status_code == 200
    errors = [p.text for p in page(response).find_all("p", class_="field-error")]
    assert len(errors) == 8, "\n".join(errors)
    assert "Please give at most 10 numbers." in errors
    assert "my own words" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_honeypot_and_a_too_fast_send_store_nothing(client, world, settings):
    settings.RIGHTSNET_FORM_MIN_SECONDS = 3
    base = {"name_en": "Group", "source": "x"}
    caught = client.post(
        url("directory:suggest", "en"), {**base, "homepage": "spam", "started": started()}
    )
    assert "looks as if a program filled it in" in caught.content.decode()
    fast = client.post(url("directory:suggest", "en"), {**base, "started": started(0)})
    assert "That was very fast" in fast.content.decode()
    forged = client.post(url("directory:suggest", "en"), {**base, "started": "1"})
    assert "opened too long ago" in forged.content.decode()
    assert not Submission.objects.exists()


def test_limits_answer_429_and_keep_the_text(client, world, settings):
    settings.RIGHTSNET_FORM_LIMITS = {
        "ip": (100, 3600),
        "sender": (1, 3600),
        "organization": (3, 86400),  # the refused send counts too
    }
    form_url = url("directory:organization_suggest", "en", slug=world.org.slug)
    values = fields_of(client.get(form_url))

    def send(email, city):
        return client.post(
            form_url, {**values, "city": city, "source": "x", "submitter_email": email}
        )

    assert send("a@example.org", "One").status_code == 302
    refused = send("a@example.org", "Two")
    assert refused.status_code == 429
    assert "Too many messages from this email address" in refused.content.decode()
    assert 'value="Two"' in refused.content.decode()
    assert send("b@example.org", "Three").status_code == 302
    by_organization = send("c@example.org", "Four")
    assert by_organization.status_code == 429
    assert "This organization has received many messages today" in (
        by_organization.content.decode()
    )
    assert Submission.objects.count() == 2


def test_the_pages_link_to_the_forms(client, world):
    for language in ("ru", "en"):
        with translation.override(language):
            detail = page(client.get(world.org.get_absolute_url()))
        link = detail.find("a", id="suggest-correction")
        assert link["href"] == f"/{language}/organizations/{world.org.slug}/suggest/"
        listing = page(client.get(url("directory:organization_list", language)))
        add = listing.find("p", class_="add-organization").find("a")
        assert add["href"] == f"/{language}/suggest/"
        about = client.get(url("directory:about", language)).content.decode()
        assert f'href="/{language}/suggest/"' in about
    russian = page(client.get(url("directory:organization_detail", slug=world.org.slug)))
    assert russian.find("a", id="suggest-correction").text == "Предложить исправление"


def test_only_get_and_post(client, world):
    response = client.put(url("directory:suggest"))
    assert response.status_code == 405


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name_ru",
                "name_en",
                "kind",
                "region",
                "city",
                "activities",
                "description",
                "address",
                "postal_code",
                "phones",
                "email",
                "website",
                "source",
                "submitter_name",
                "submitter_email",
                "homepage",
                "started",
            ]
        ),  # fmt: skip
        st.text(max_size=300) | st.text(alphabet="\x00\ud7ff\U0010ffff <>&'\"", max_size=50),
    )
)
def test_garbage_never_gives_a_server_error(client, world, fields):
    for target in (
        url("directory:suggest", "en"),
        url("directory:organization_suggest", slug=world.org.slug),
    ):
        response = client.post(target, {**fields, "started": started()})
        assert response.status_code in (200, 302, 429), response.status_code


def test_huge_input_is_refused_without_a_server_error(client, world):
    response = client.post(
        url("directory:suggest", "en"),
        {"name_en": "x" * 200_000, "source": "y" * 200_000, "phones": "\n" * 50_000,
         "started": started()},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Ensure this value has at most 300 characters" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_character_is_refused_in_every_field(client, world):
    """PostgreSQL stores no NUL in text or JSON: the form refuses it first."""
    for field in ("name_en", "city", "description", "address", "phones", "source"):
        data = {"name_en": "Group", "source": "x", "started": started(), field: "a\x00b"}
        response = client.post(url("directory:suggest", "en"), data)
        assert response.status_code == 200, field
        assert "Null characters are not allowed." in response.content.decode(), field
    assert not Submission.objects.exists()

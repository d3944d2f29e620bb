"""Contacts with an as-of date: current ones are links, historical ones are only a record.

Contacts are historical when the organization is closed or when their as-of date is
more than RIGHTSNET_STALE_CONTACTS_YEARS old (``directory.contacts``): the page and the
list's cards show them muted and labelled, without tap-to-call or mailto links, and the
page's JSON-LD leaves them out. A fax is never a tel: link. Restricted contacts stay
hidden in either state. Staff see undated and stale contacts in the admin.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from directory import contacts
from directory.dates import PartialDate, Precision
from directory.models import Organization
from tests.factories import OrganizationFactory, PhoneFactory
from tests.html import page
from tests.staff import staff_user
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

D = datetime.date
CLOSED = Organization.Status.CLOSED
LABEL_1997 = {"en": "as of January 1997", "ru": "по состоянию на январь 1997 г."}
CLOSED_NOTE = {
    "en": "The organization is closed: these are its last known contacts, kept for the record.",
    "ru": "Организация закрыта: это её последние известные контакты, сохранённые для справки.",
}
STALE_NOTE = {
    "en": "These contacts are more than 3 years old and may no longer work.",
    "ru": "Этим контактам больше 3 лет, они могут уже не действовать.",
}


def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def organization(*, as_of=None, precision="month", status="active", public=True, **kwargs):
    """A published organization with an address, an email, a telephone and a fax."""
    kwargs.setdefault("name_en", "Watch Group")
    kwargs.setdefault("name_ru", "Группа наблюдения")
    org = OrganizationFactory(
        status=status,
        contacts_public=public,
        address_en="1 Open Street",
        address_ru="Открытая ул., 1",
        email="office@watch.example.org",
        contacts_as_of=as_of,
        contacts_as_of_precision=precision if as_of else "",
        **kwargs,
    )
    PhoneFactory(organization=org, number="+7 095 206-81-71", kind="tel")
    PhoneFactory(organization=org, number="+7 095 921-12-09", kind="fax")
    return org


def detail(client, org, language):
    with translation.override(language):
        url = org.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return page(response)


def links(element) -> list[str]:
    return [a["href"] for a in element.find_all("a")]


def json_ld(document) -> dict:
    return json.loads(document.find("script", type="application/ld+json").text)


def card(client, language, name):
    """The list's card of the organization named ``name``."""
    response = client.get(f"/{language}/organizations/")
    assert response.status_code == 200
    found = [li for li in page(response).find_all("li", class_="result") if name in li.text]
    assert len(found) == 1
    return found[0]


# The rule


@pytest.mark.parametrize(
    ("as_of", "on", "stale"),
    [
        # As of January 1997: the month ends 31 January 1997, three years later it is old.
        ("1997-01", D(2000, 1, 31), False),
        ("1997-01", D(2000, 2, 1), True),
        # As of 1997: the year ends 31 December 1997.
        ("1997", D(2000, 12, 31), False),
        ("1997", D(2001, 1, 1), True),
        ("1997-01-25", D(2000, 1, 25), False),
        ("1997-01-25", D(2000, 1, 26), True),
        # 29 February counts back to 28 February.
        ("2021-02-28", D(2024, 2, 29), False),
        ("2021-02-27", D(2024, 2, 29), True),
        (None, D(2024, 2, 29), False),
    ],
)
def test_contacts_are_stale_three_years_after_the_end_of_their_period(as_of, on, stale):
    date = PartialDate.parse(as_of) if as_of else None
    cut = contacts.cutoff(on, 3)

    judged = contacts.judge(status="active", as_of=date, cut=cut)

    assert contacts.is_stale(date, cut) is stale
    assert (judged.historical, judged.reason) == (stale, "stale" if stale else "")


def test_the_sql_condition_says_what_the_rule_says():
    """The admin's filters ask the database; the pages ask Python: the same answers."""
    dates = [
        PartialDate(D(year, month, day), precision)
        for year in (2019, 2020, 2021)
        for month, day in ((1, 1), (2, 28), (6, 15), (12, 31))
        for precision in Precision
    ]
    for date in dates:
        OrganizationFactory(contacts_as_of=date.date, contacts_as_of_precision=date.precision)
    for on in (D(2023, 2, 28), D(2023, 6, 15), D(2024, 1, 1), D(2024, 12, 31)):
        cut = contacts.cutoff(on, 3)
        in_sql = Organization.objects.filter(contacts.stale_condition(cut))
        everyone = Organization.objects.all()
        expected = {o.pk for o in everyone if contacts.is_stale(o.contacts_date, cut)}
        assert {o.pk for o in in_sql} == expected
        assert 0 < len(expected) < len(dates)


def test_a_closed_organizations_contacts_are_historical_whatever_their_date():
    cut = contacts.cutoff(D(2024, 5, 1), 3)
    for as_of in (None, PartialDate.parse("2024-04")):
        judged = contacts.judge(status=CLOSED, as_of=as_of, cut=cut)
        assert (judged.historical, judged.reason) == (True, "closed")
    # No date and not closed: current, without a label.
    undated = contacts.judge(status="active", as_of=None, cut=cut)
    assert (undated.historical, undated.label("en")) == (False, "")


def test_the_setting_is_read_from_the_environment_and_a_bad_value_refused():
    show = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.RIGHTSNET_STALE_CONTACTS_YEARS)"
    )
    assert run_python(show).stdout.strip() == "3"
    assert run_python(show, RIGHTSNET_STALE_CONTACTS_YEARS="5").stdout.strip() == "5"
    for bad in ("three", "-1", "0", "2.5", "101"):
        result = run_python(show, RIGHTSNET_STALE_CONTACTS_YEARS=bad)
        assert result.returncode != 0, bad
        assert "RIGHTSNET_STALE_CONTACTS_YEARS must be" in result.stderr, bad


# The organization page


@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_closed_organizations_contacts_are_a_record_without_links(client, language):
    org = organization(as_of=D(1997, 1, 1), status=CLOSED)

    document = detail(client, org, language)

    aside = document.find("aside", class_="contact-card")
    assert aside.find("p", class_="contacts-as-of").text == LABEL_1997[language]
    assert aside.find("p", class_="contacts-note").text == CLOSED_NOTE[language]
    shown = aside.find("dl", class_="contact-points")
    assert "historical" in shown["class"].split()
    for value in ("+7 095 206-81-71", "+7 095 921-12-09", "office@watch.example.org"):
        assert value in shown.text
    assert not [href for href in links(document) if href.startswith(("tel:", "mailto:"))]
    data = json_ld(document)
    assert data["name"] == {"ru": "Группа наблюдения", "en": "Watch Group"}[language]
    for key in ("telephone", "faxNumber", "email", "address"):
        assert key not in data


@pytest.mark.parametrize("language", ["ru", "en"])
def test_contacts_as_of_1997_are_historical_today(client, language):
    org = organization(as_of=D(1997, 1, 1))

    document = detail(client, org, language)

    aside = document.find("aside", class_="contact-card")
    assert aside.find("p", class_="contacts-as-of").text == LABEL_1997[language]
    assert aside.find("p", class_="contacts-note").text == STALE_NOTE[language]
    assert "+7 095 206-81-71" in aside.find("dl", class_="historical").text
    assert not [href for href in links(document) if href.startswith(("tel:", "mailto:"))]
    assert "telephone" not in json_ld(document)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_contacts_as_of_last_month_are_current_links_but_a_fax_is_no_link(client, language):
    as_of = last_month()
    org = organization(as_of=as_of)

    document = detail(client, org, language)

    aside = document.find("aside", class_="contact-card")
    label = PartialDate(as_of, Precision.MONTH).display(language)
    expected = {"en": f"as of {label}", "ru": f"по состоянию на {label}"}[language]
    assert aside.find("p", class_="contacts-as-of").text == expected
    assert not aside.find_all("p", class_="contacts-note")
    assert aside.find("dl", class_="contact-points")["class"] == "contact-points"
    contact_links = [href for href in links(aside) if href.startswith(("tel:", "mailto:"))]
    assert contact_links == ["tel:+70952068171", "mailto:office@watch.example.org"]
    assert "+7 095 921-12-09" in aside.text  # the fax, shown as text only
    data = json_ld(document)
    assert data["telephone"] == "+7 095 206-81-71"
    assert data["faxNumber"] == "+7 095 921-12-09"
    assert data["email"] == "office@watch.example.org"
    assert (
        data["address"]["streetAddress"]
        == {"ru": "Открытая ул., 1", "en": "1 Open Street"}[language]
    )


def test_undated_contacts_are_current_without_a_label(client):
    org = organization()

    aside = detail(client, org, "en").find("aside", class_="contact-card")

    assert not aside.find_all("p", class_="contacts-as-of")
    assert not aside.find_all("p", class_="contacts-note")
    assert "tel:+70952068171" in links(aside)
    assert "mailto:office@watch.example.org" in links(aside)


def test_a_mobile_is_tap_to_call_and_a_fax_alone_is_never_a_tel_link(client):
    org = OrganizationFactory(
        name_en="Fax Only",
        name_ru="Только факс",
        contacts_as_of=last_month(),
        contacts_as_of_precision="month",
    )
    PhoneFactory(organization=org, number="+7 095 921-12-09", kind="fax")
    mobile = OrganizationFactory(name_en="Mobile", name_ru="Мобильный")
    PhoneFactory(organization=mobile, number="+7 916 000-00-01", kind="mobile")

    for language in ("ru", "en"):
        document = detail(client, org, language)
        assert "+7 095 921-12-09" in document.find("aside", class_="contact-card").text
        assert not [href for href in links(document) if href.startswith("tel:")]
        fax_card = card(client, language, {"ru": "Только факс", "en": "Fax Only"}[language])
        assert "+7 095 921-12-09" in fax_card.text
        assert not [href for href in links(fax_card) if href.startswith("tel:")]
        assert "tel:+79160000001" in links(detail(client, mobile, language))
        mobile_card = card(client, language, {"ru": "Мобильный", "en": "Mobile"}[language])
        assert "tel:+79160000001" in links(mobile_card)


def test_the_setting_moves_the_cutoff(client, settings):
    year = timezone.localdate().year - 2
    org = organization(as_of=D(year, 1, 1), precision="year")

    def historical() -> bool:
        aside = detail(client, org, "en").find("aside", class_="contact-card")
        return "historical" in aside.find("dl", class_="contact-points")["class"].split()

    assert not historical()  # 3 years, the default
    settings.RIGHTSNET_STALE_CONTACTS_YEARS = 1
    assert historical()
    note = detail(client, org, "en").find("p", class_="contacts-note")
    assert note.text == "These contacts are more than 1 year old and may no longer work."
    settings.RIGHTSNET_STALE_CONTACTS_YEARS = 2
    assert not historical()


@pytest.mark.parametrize("status", ["active", CLOSED])
def test_restricted_contacts_stay_hidden_current_or_historical(client, status):
    as_of = D(1997, 1, 1) if status == CLOSED else last_month()
    org = organization(as_of=as_of, status=status, public=False, name_en="At Risk")
    secrets = ["+7 095 206-81-71", "+7 095 921-12-09", "office@watch.example.org", "Open"]

    for language in ("ru", "en"):
        document = detail(client, org, language)
        text = str(document.text) + json.dumps(json_ld(document), ensure_ascii=False)
        assert not [secret for secret in secrets if secret in text]
        assert not [href for href in links(document) if href.startswith(("tel:", "mailto:"))]
        # No label or note about contacts that are not shown.
        assert not document.find_all("p", class_="contacts-as-of")
        assert not document.find_all("p", class_="contacts-note")
        listed = card(client, language, "At Risk" if language == "en" else "Группа")
        assert not [secret for secret in secrets if secret in listed.text]
        assert not listed.find_all("a", href="mailto:office@watch.example.org")


# The list's cards


@pytest.mark.parametrize("language", ["ru", "en"])
def test_cards_show_historical_contacts_muted_and_labelled_without_links(client, language):
    organization(as_of=D(1997, 1, 1), status=CLOSED, name_en="Closed Group", name_ru="Закрытая")
    organization(as_of=D(1997, 1, 1), name_en="Old Group", name_ru="Старая")
    organization(as_of=last_month(), name_en="Current Group", name_ru="Действующая")
    names = {"ru": ("Закрытая", "Старая", "Действующая"), "en": ("Closed", "Old", "Current")}

    closed, old, current = (card(client, language, name) for name in names[language])

    for historical in (closed, old):
        line = historical.find("p", class_="historical")
        assert line.find("span", class_="contacts-as-of").text == LABEL_1997[language]
        assert "+7 095 206-81-71" in line.text
        assert "office@watch.example.org" in line.text
        assert [href for href in links(historical) if href.startswith(("tel:", "mailto:"))] == []
    assert not current.find_all("p", class_="historical")
    assert not current.find_all("span", class_="contacts-as-of")
    assert "+7 095 921-12-09" in current.text  # the fax
    assert [href for href in links(current) if href.startswith(("tel:", "mailto:"))] == [
        "tel:+70952068171",
        "mailto:office@watch.example.org",
    ]


def test_cached_cards_turn_historical_when_the_day_crosses_the_cutoff(
    client, monkeypatch, django_assert_num_queries
):
    organization(as_of=D(2020, 3, 1), name_en="Turning Group")
    monkeypatch.setattr(contacts, "today", lambda: D(2023, 3, 31))

    assert "tel:+70952068171" in links(card(client, "en", "Turning"))
    # The same day: served from the cache (only the data version is read).
    with django_assert_num_queries(1):
        assert "tel:+70952068171" in links(card(client, "en", "Turning"))

    # The next day, no write in between: contacts as of March 2020 are now 3 years old.
    monkeypatch.setattr(contacts, "today", lambda: D(2023, 4, 1))
    turned = card(client, "en", "Turning")
    assert turned.find("span", class_="contacts-as-of").text == "as of March 2020"
    assert not [href for href in links(turned) if href.startswith(("tel:", "mailto:"))]


def test_historical_contacts_cost_the_cards_no_query(client):
    def read() -> tuple[int, int]:
        """The queries of the list page (cold: a write came before), and its cards' labels."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/en/organizations/")
        assert response.status_code == 200
        return len(captured), page(response).text.count("as of January 1997")

    for _n in range(3):
        organization(as_of=last_month())
    queries, labels = read()
    assert labels == 0
    for n in range(6):
        organization(as_of=D(1997, 1, 1), status=CLOSED if n % 2 else "active")
    assert read() == (queries, 6)


# The admin


@pytest.fixture
def editor(client):
    client.force_login(staff_user("editor", group="Editors"))


def admin_list(client, **params):
    response = client.get(reverse("admin:directory_organization_changelist"), params)
    assert response.status_code == 200
    return response


def test_the_admin_flags_undated_and_stale_contacts_as_missing(client, editor):
    organization(as_of=D(1997, 1, 1), name_ru="Устаревшие")
    organization(as_of=D(1997, 1, 1), status=CLOSED, name_ru="Закрытая")
    organization(as_of=None, name_ru="Без даты")
    organization(as_of=last_month(), name_ru="Свежие")
    OrganizationFactory(name_ru="Без контактов")

    rows = {
        row.find("th").text: row.find("td", class_="field-missing").text
        for row in page(admin_list(client)).find("table", id="result_list").find_all("tr")[1:]
    }

    def flags(name: str) -> set[str]:
        return set(rows[name].split(", ")) & {"свежие контакты", "дата контактов"}

    assert flags("Устаревшие") == {"свежие контакты"}
    assert flags("Без даты") == {"дата контактов"}
    # A closed organization's old contacts are its record: nothing to update.
    assert flags("Закрытая") == set()
    assert flags("Свежие") == set()
    assert flags("Без контактов") == set()

    def names(**params) -> set[str]:
        return {str(org) for org in admin_list(client, **params).context["cl"].result_list}

    assert names(missing="stale_contacts") == {"Устаревшие"}
    assert names(missing="contacts_as_of") == {"Без даты"}
    assert names(contacts="stale") == {"Устаревшие", "Закрытая"}
    assert names(contacts="current") == {"Свежие"}
    assert names(contacts="no_date") == {"Без даты"}


def test_the_admin_filter_follows_the_setting(client, editor, settings):
    organization(as_of=D(timezone.localdate().year - 2, 1, 1), precision="year", name_ru="Два")

    def stale() -> set[str]:
        response = admin_list(client, contacts="stale")
        return {str(org) for org in response.context["cl"].result_list}

    assert stale() == set()
    settings.RIGHTSNET_STALE_CONTACTS_YEARS = 1
    assert stale() == {"Два"}


def test_the_filter_options_are_named_in_both_languages(client, editor):
    def options(title: str) -> list[tuple[str, str]]:
        sidebar = page(admin_list(client)).find("details", data_filter_title=title)
        return [(a.text, a["href"]) for a in sidebar.find_all("a")]

    assert options("контакты")[1:] == [
        ("актуальные", "?contacts=current"),
        ("устаревшие", "?contacts=stale"),
        ("без даты", "?contacts=no_date"),
    ]
    assert ("свежие контакты", "?missing=stale_contacts") in options("не хватает")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert [text for text, _href in options("contacts")[1:]] == ["current", "stale", "no date"]
    assert ("recent contacts", "?missing=stale_contacts") in options("missing")


def test_the_admin_edits_the_date_as_one_field_in_the_contacts_fieldset(client, editor):
    org = organization(as_of=D(1997, 1, 1))
    url = reverse("admin:directory_organization_change", args=[org.pk])

    response = client.get(url)
    fieldsets = {
        str(fieldset.name): [field for line in fieldset for field in line]
        for fieldset in response.context["adminform"]
    }
    contacts_fields = [field.field.name for field in fieldsets["Контакты"]]
    assert contacts_fields[-1] == "contacts_as"
    assert 'value="1997-01"' in str(response.context["adminform"].form["contacts_as"])
    html = response.content.decode()
    assert 'name="contacts_as_of"' not in html
    assert 'name="contacts_as_of_precision"' not in html

    form = response.context["adminform"].form
    data = {
        name: form[name].value() for name in form.fields if name not in ("activities", "partners")
    }
    data = {key: "" if value is None else value for key, value in data.items()}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    refused = client.post(url, {**data, "contacts_as": "1997-13"})
    assert refused.status_code == 200
    assert "Месяца 13 нет" in refused.content.decode()

    saved = client.post(url, {**data, "contacts_as": "2016-09"}, follow=True)
    assert saved.redirect_chain, saved.context["adminform"].form.errors
    org.refresh_from_db()
    assert org.contacts_date == PartialDate(D(2016, 9, 1), Precision.MONTH)

    client.post(url, {**data, "contacts_as": ""}, follow=True)
    org.refresh_from_db()
    assert (org.contacts_as_of, org.contacts_as_of_precision) == (None, "")


@pytest.mark.parametrize("value", ["nonsense", "stale\x00", "", "current&contacts=stale"])
def test_a_bad_filter_value_lists_everyone(client, editor, value):
    organization(as_of=D(1997, 1, 1), name_ru="Устаревшие")
    organization(as_of=last_month(), name_ru="Свежие")

    response = admin_list(client, contacts=value, missing=value)

    assert {str(org) for org in response.context["cl"].result_list} == {"Устаревшие", "Свежие"}

"""The organization page's dated timeline of public events, and its status "since" a date."""

import pytest
from django.utils import translation

from directory.models import Region, Source
from tests.factories import (
    OrganizationEventFactory,
    OrganizationFactory,
    RegionFactory,
    SourceFactory,
)
from tests.html import page

pytestmark = pytest.mark.django_db


def url(org, language: str) -> str:
    with translation.override(language):
        return org.get_absolute_url()


@pytest.fixture
def sample(db):
    """A fictional group with one public event of each shape, and staff-only ones."""
    org = OrganizationFactory(
        name_ru="Центр «Образец»", name_en="Sample Centre", status="active", founded=None
    )
    lithuania = RegionFactory(name_ru="Литва", name_en="Lithuania", kind=Region.Kind.COUNTRY)
    seed = SourceFactory(
        title_ru="Справочник НКО", title_en="NGO handbook", publisher_en="CCSI", date="1997-01"
    )
    report = SourceFactory(
        title_ru="Сообщение о решении", title_en="Report of the ruling",
        url="https://news.example.org/ruling",
    )  # fmt: skip
    unsafe = SourceFactory(title_ru="", title_en="Unsafe link", url="https://x.example.org/")
    Source.objects.filter(pk=unsafe.pk).update(url="javascript:alert(1)")
    call = SourceFactory(
        title_ru="Звонок участнику", title_en="Call with a member", is_public=False
    )

    def event(kind, date, **kwargs):
        return OrganizationEventFactory(organization=org, kind=kind, date=date, **kwargs)

    event("liquidated", "2023-01-25", note_ru="По иску прокуратуры.",
          note_en="On the prosecutor's claim.", sources=[report, call, unsafe])  # fmt: skip
    event("founded", "1976-05", sources=[seed])
    event("renamed", "1990", former_name_ru="Группа «Рассвет»", former_name_en="")
    event("relocated", "2022-03", country=lithuania)
    event("ceased", "2024", note_en="Staff-only note", is_public=False)
    return org


def timeline(response) -> list[str]:
    return [item.text for item in page(response).find("ol", class_="timeline").items()]


def status(response) -> str:
    return page(response).find("span", class_="status").text


def test_the_timeline_lists_the_public_events_in_date_order_in_english(client, sample):
    response = client.get(url(sample, "en"))

    assert timeline(response) == [
        "May 1976 Founded Sources: CCSI, NGO handbook , January 1997",
        "1990 Renamed; former name: “ Группа «Рассвет» (in Russian) ”",
        "March 2022 Moved its work abroad: Lithuania",
        "25 January 2023 Liquidated by a court On the prosecutor's claim. "
        "Sources: Report of the ruling ; Unsafe link",
    ]
    assert status(response) == "closed since 25 January 2023"
    assert "Staff-only note" not in response.content.decode()
    assert "Call with a member" not in response.content.decode()


def test_the_timeline_in_russian(client, sample):
    response = client.get(url(sample, "ru"))

    assert timeline(response) == [
        "май 1976 г. Основана Источники: CCSI , Справочник НКО , январь 1997 г.",
        "1990 г. Переименована; прежнее название: «Группа «Рассвет»»",
        "март 2022 г. Перенесла работу за рубеж: Литва",
        "25 января 2023 г. Ликвидирована по решению суда По иску прокуратуры. "
        "Источники: Unsafe link ; Сообщение о решении",
    ]
    assert status(response) == "закрыта с 25 января 2023 г."
    assert "Звонок участнику" not in response.content.decode()


def test_dates_are_machine_readable_and_only_safe_source_addresses_are_links(client, sample):
    html = page(client.get(url(sample, "en")))
    history = html.find("ol", class_="timeline")

    # The events' dates and, cited the same way as on every page, the sources' dates.
    assert [time["datetime"] for time in history.find_all("time")] == [
        "1976-05", "1997-01", "1990", "2022-03", "2023-01-25",
    ]  # fmt: skip
    assert [(a.text, a["href"]) for a in history.find_all("a")] == [
        ("Report of the ruling", "https://news.example.org/ruling")
    ]


@pytest.mark.parametrize(
    ("kind", "date", "russian", "english"),
    [
        ("suspended", "2020-01", "не действует с января 2020 г.", "inactive since January 2020"),
        ("resumed", "2024", "действует с 2024 г.", "active since 2024"),
        ("ceased", "2021-06-01", "закрыта с 1 июня 2021 г.", "closed since 1 June 2021"),
    ],
)
def test_the_status_says_since_when_an_event_decides_it(client, kind, date, russian, english):
    org = OrganizationFactory(status="active")
    OrganizationEventFactory(organization=org, kind=kind, date=date)

    assert status(client.get(url(org, "ru"))) == russian
    assert status(client.get(url(org, "en"))) == english


def test_without_a_deciding_event_the_status_is_shown_alone(client):
    founded = OrganizationFactory(status="active", founded=1976)
    unknown = OrganizationFactory(status="unknown", founded=None)
    OrganizationEventFactory(organization=unknown, kind="liquidated", date="2023", is_public=False)

    response = client.get(url(founded, "en"))
    assert status(response) == "active"  # "founded in 1976" says the rest
    assert timeline(response) == ["1976 Founded"]
    response = client.get(url(unknown, "en"))
    assert status(response) == "unknown"
    assert not page(response).find_all("ol", class_="timeline")


def test_a_change_to_an_event_shows_at_once(client, sample):
    assert status(client.get(url(sample, "en"))) == "closed since 25 January 2023"

    liquidated = sample.events.get(kind="liquidated")
    liquidated.is_public = False  # found to be a mistake: kept for staff only
    liquidated.save()

    response = client.get(url(sample, "en"))
    assert status(response) == "active since March 2022"  # the move abroad decides now
    assert "Liquidated by a court" not in response.content.decode()

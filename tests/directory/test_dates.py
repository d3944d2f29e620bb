"""Dates with a precision: what staff type, what readers see, how they sort."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.dates import PartialDate, PartialDateField, Precision

D = datetime.date
FORMAT_RU = "Введите год, год и месяц или полную дату, например 1997, 1997-01 или 1997-01-25."
FORMAT_EN = (
    "Enter a year, a year and month or a full date, for example 1997, 1997-01 or 1997-01-25."
)
YEAR_RU = "Год должен быть от 1000 до 9999."


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("1997", D(1997, 1, 1), Precision.YEAR),
        ("1997-01", D(1997, 1, 1), Precision.MONTH),
        ("1997-01-25", D(1997, 1, 25), Precision.DAY),
        ("  2023-01-25 ", D(2023, 1, 25), Precision.DAY),
        ("1000", D(1000, 1, 1), Precision.YEAR),
        ("9999-12-31", D(9999, 12, 31), Precision.DAY),
        ("2024-02-29", D(2024, 2, 29), Precision.DAY),
    ],
)
def test_parse_accepts_a_year_a_month_or_a_day(text, date, precision):
    value = PartialDate.parse(text)
    assert (value.date, value.precision) == (date, precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", FORMAT_RU),
        ("   ", FORMAT_RU),
        ("January 1997", FORMAT_RU),
        ("1997-1", FORMAT_RU),
        ("1997-01-5", FORMAT_RU),
        ("97", YEAR_RU),
        ("0999", YEAR_RU),
        ("10000", YEAR_RU),
        ("9" * 5000, YEAR_RU),
        ("1997/01/25", FORMAT_RU),
        ("25.01.1997", FORMAT_RU),
        ("1997-01-25T10:00", FORMAT_RU),
        ("1997 - 01", FORMAT_RU),
        ("-1997", FORMAT_RU),
        ("١٩٩٧", FORMAT_RU),
        ("1997-13", "Месяца 13 нет: месяцы нумеруются от 01 до 12."),
        ("1997-00-10", "Месяца 00 нет: месяцы нумеруются от 01 до 12."),
        ("1997-02-30", "Такого дня нет в календаре: 1997-02-30."),
        ("1900-02-29", "Такого дня нет в календаре: 1900-02-29."),
        ("1997-04-31", "Такого дня нет в календаре: 1997-04-31."),
        ("1997-01-00", "Такого дня нет в календаре: 1997-01-00."),
    ],
)
def test_parse_rejects_anything_else_with_a_message(text, message):
    with pytest.raises(ValidationError) as error:
        PartialDate.parse(text)
    assert error.value.messages == [message]


def test_parse_message_is_in_the_current_language():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        PartialDate.parse("1997-02-30")
    assert error.value.messages == ["There is no such day in the calendar: 1997-02-30."]


def test_coarser_values_are_normalised_so_equal_values_compare_equal():
    assert PartialDate(D(1997, 1, 25), Precision.MONTH) == PartialDate.parse("1997-01")
    assert PartialDate(D(1976, 6, 3), "year") == PartialDate.parse("1976")
    assert hash(PartialDate(D(1976, 6, 3), "year")) == hash(PartialDate.parse("1976"))
    assert PartialDate.parse("1997") != PartialDate.parse("1997-01")
    assert PartialDate.parse("1997-01") != PartialDate.parse("1997-01-01")


def test_ordering_is_by_date_then_coarser_first():
    texts = ["2023-01-25", "1997-01-01", "1997-01", "1997", "1976", "1997-02", "1996-12-31"]
    ordered = sorted(PartialDate.parse(text) for text in texts)
    assert [value.iso() for value in ordered] == [
        "1976",
        "1996-12-31",
        "1997",
        "1997-01",
        "1997-01-01",
        "1997-02",
        "2023-01-25",
    ]
    assert PartialDate.parse("1997") < PartialDate.parse("1997-01") <= PartialDate.parse("1997-01")
    assert PartialDate.parse("2023") > PartialDate.parse("1997-12-31")


def test_a_value_is_frozen():
    value = PartialDate.parse("1997")
    with pytest.raises(AttributeError):
        value.date = D(2000, 1, 1)


def test_from_parts_reads_two_model_columns():
    assert PartialDate.from_parts(D(1997, 1, 1), "month") == PartialDate.parse("1997-01")
    assert PartialDate.from_parts(None, "year") is None
    with pytest.raises(ValueError):
        PartialDate.from_parts(D(1997, 1, 1), "week")


@pytest.mark.parametrize(
    ("text", "russian", "english"),
    [
        ("1976", "1976 г.", "1976"),
        ("1997-01", "январь 1997 г.", "January 1997"),
        ("1997-05", "май 1997 г.", "May 1997"),
        ("2023-01-25", "25 января 2023 г.", "25 January 2023"),
        ("2016-09-01", "1 сентября 2016 г.", "1 September 2016"),
        ("2016-03-08", "8 марта 2016 г.", "8 March 2016"),
    ],
)
def test_display_in_both_languages(text, russian, english):
    value = PartialDate.parse(text)
    assert value.display("ru") == russian
    assert value.display("en") == english
    assert str(value) == russian  # the current language: tests start in Russian
    with translation.override("en"):
        assert str(value) == english
        assert value.display("ru") == russian
        assert translation.get_language() == "en"


@pytest.mark.parametrize(
    ("text", "russian", "english"),
    [
        ("1976", "с 1976 г.", "since 1976"),
        ("1997-01", "с января 1997 г.", "since January 1997"),
        ("2020-05", "с мая 2020 г.", "since May 2020"),
        ("2023-01-25", "с 25 января 2023 г.", "since 25 January 2023"),
    ],
)
def test_since_a_date_in_both_languages(text, russian, english):
    value = PartialDate.parse(text)
    assert (value.since("ru"), value.since("en")) == (russian, english)
    assert value.since() == russian  # the current language
    with translation.override("en"):
        assert value.since() == english


@pytest.mark.parametrize("text", ["1997", "1997-01", "1997-01-25", "1000-12", "9999-12-31"])
def test_iso_gives_back_the_text_parsed(text):
    assert PartialDate.parse(text).iso() == text


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(
    date=st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)),
    precision=st.sampled_from(Precision),
)
def test_iso_round_trip_for_any_date(date, precision):
    value = PartialDate(date, precision)
    text = value.iso()
    assert PartialDate.parse(text) == value
    assert PartialDate.parse(text).iso() == text
    assert value.date <= date


class SourceForm(forms.Form):
    date = PartialDateField()
    checked = PartialDateField(required=False)


def test_form_field_cleans_to_a_partial_date():
    form = SourceForm({"date": " 1997-01 ", "checked": "2023-01-25"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "date": PartialDate.parse("1997-01"),
        "checked": PartialDate.parse("2023-01-25"),
    }


def test_form_field_shows_the_message_of_bad_input():
    form = SourceForm({"date": "1997-02-30", "checked": "January 1997"})
    assert not form.is_valid()
    assert form.errors == {
        "date": ["Такого дня нет в календаре: 1997-02-30."],
        "checked": [FORMAT_RU],
    }
    with translation.override("en"):
        form = SourceForm({"date": "1997-13", "checked": "abc"})
        assert form.errors == {
            "date": ["There is no month 13: months are 01 to 12."],
            "checked": [FORMAT_EN],
        }


def test_form_field_empty_is_none_when_optional_and_an_error_when_required():
    form = SourceForm({"date": "", "checked": "  "})
    assert not form.is_valid()
    assert form.errors == {"date": ["Обязательное поле."]}
    form = SourceForm({"date": "1976", "checked": ""})
    assert form.is_valid()
    assert form.cleaned_data["checked"] is None


def test_form_field_shows_an_initial_value_as_text_and_in_both_languages_help():
    form = SourceForm(initial={"date": PartialDate.parse("1997-01")})
    html = str(form["date"])
    assert 'value="1997-01"' in html
    assert not SourceForm(
        {"date": "1997-01", "checked": ""}, initial={"date": PartialDate.parse("1997-01")}
    ).has_changed()
    assert str(form.fields["date"].help_text) == (
        "Год (1997), год и месяц (1997-01) или полная дата (1997-01-25)."
    )
    with translation.override("en"):
        assert str(form.fields["date"].help_text) == (
            "A year (1997), a year and month (1997-01) or a full date (1997-01-25)."
        )


def test_precision_labels_are_translated():
    assert [str(label) for label in Precision.labels] == ["год", "месяц", "день"]
    with translation.override("en"):
        assert [str(label) for label in Precision.labels] == ["year", "month", "day"]


# The admin form that edits a date and its precision as one field.


def _source_form(data, instance=None):
    from directory.dates import PartialDateModelForm
    from directory.models import Source

    class SourceForm(PartialDateModelForm):
        partial_dates = {"when": ("date", "date_precision")}

        class Meta:
            model = Source
            fields = ("title_en", "title_ru")

    return SourceForm(data, instance=instance)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "date", "precision"),
    [
        ("1997", D(1997, 1, 1), "year"),
        ("1997-01", D(1997, 1, 1), "month"),
        ("2023-01-25", D(2023, 1, 25), "day"),
        ("", None, ""),
    ],
)
def test_the_form_saves_the_date_and_its_precision(typed, date, precision):
    form = _source_form({"title_en": "CCSI", "title_ru": "", "when": typed})
    assert form.is_valid(), form.errors
    source = form.save()
    source.refresh_from_db()
    assert (source.date, source.date_precision) == (date, precision)


@pytest.mark.django_db
def test_the_form_shows_a_saved_date_as_typed_and_refuses_a_bad_one():
    from directory.models import Source

    source = Source.objects.create(title="CCSI", date=D(1997, 1, 1), date_precision="month")
    form = _source_form(None, instance=source)
    assert 'value="1997-01"' in str(form["when"])

    bad = _source_form({"title_en": "CCSI", "title_ru": "", "when": "1997-13"}, instance=source)
    with translation.override("en"):
        assert not bad.is_valid()
    assert "There is no month 13" in str(bad.errors["when"])
    source.refresh_from_db()
    assert (source.date, source.date_precision) == (D(1997, 1, 1), "month")


@pytest.mark.django_db
def test_the_form_field_may_be_named_in_fields_as_an_admin_fieldset_does():
    from django.forms import modelform_factory

    from directory.dates import PartialDateModelForm
    from directory.models import Source

    class SourceForm(PartialDateModelForm):
        partial_dates = {"when": ("date", "date_precision")}

    form_class = modelform_factory(Source, form=SourceForm, fields=["title_en", "when"])
    assert list(form_class.base_fields) == ["title_en", "when"]
    form = form_class({"title_en": "CCSI", "when": "1997-01"})
    assert form.is_valid(), form.errors
    source = form.save()
    assert (source.date, source.date_precision) == (D(1997, 1, 1), "month")

"""The CSV rule as the data page tells it (templates/data/_csv_rule.html), against the code."""

import html
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from listing.columns import neutralise, unneutralise

AWKWARD = [
    "+7 095 206-81-71",
    "+7 (495) 123-45-67; 095-206-85-07",
    "+74951234567",
    "01001",
    '=HYPERLINK("http://x";"y")',
    "@SUM(1+1)",
    "-2+3",
    "+cmd|' /C calc'!A0",
    "\tTab",
    "\rCR",
    "'quoted",
    "Правозащитный центр «Мемориал»",
]


@pytest.mark.parametrize(
    "lang, words",
    [
        ("ru", ["апостроф", "Windows-1252", "+7 095 206-81-71", "01001"]),
        ("en", ["apostrophe", "Windows-1252", "+7 095 206-81-71", "01001"]),
    ],
)
def test_the_rule_is_told_in_both_languages(lang, words):
    with translation.override(lang):
        text = render_to_string("data/_csv_rule.html")

    for word in words:
        assert word in text
    assert ("Ячейка" in text) == (lang == "ru")


def test_the_told_way_to_undo_the_apostrophe_is_the_codes():
    text = html.unescape(render_to_string("data/_csv_rule.html"))
    pattern = re.search(r'df\.replace\(r"(.+?)"', text).group(1)

    for value in AWKWARD:
        written = neutralise(value)
        assert re.sub(pattern, "", written) == unneutralise(written)
        if not value.startswith("'"):
            assert unneutralise(written) == value

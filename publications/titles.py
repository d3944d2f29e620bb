"""Titles marked as translations: whether the title a reader sees is the one the source
gave and the one printed on the book, and what is known of the original.

The source of the "Legal Culture" books (CCSI) gives their titles in English only, while
the books are in Russian: the Russian titles on the site are translations, and the
original Russian titles are not known. ``title_note`` decides what to say about any
title from four facts; ``publication_title_note`` reads them from a publication.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

from rightsnet.i18n import current_language, in_language, language_name

# Each clause in the languages the site names itself, and (key None) for any other code.
_TRANSLATED_FROM = {
    "ru": pgettext_lazy("publication title note", "title translated from Russian"),
    "en": pgettext_lazy("publication title note", "title translated from English"),
    None: pgettext_lazy(
        "publication title note", "title translated from another language (%(language)s)"
    ),
}
_GIVEN_IN = {
    "ru": pgettext_lazy("publication title note", "title as given by the source, in Russian"),
    "en": pgettext_lazy("publication title note", "title as given by the source, in English"),
    None: pgettext_lazy("publication title note", "title as given by the source (%(language)s)"),
}
_ORIGINAL_NOT_KNOWN_IN = {
    "ru": pgettext_lazy("publication title note", "the original Russian title is not known"),
    "en": pgettext_lazy("publication title note", "the original English title is not known"),
    None: pgettext_lazy("publication title note", "the original title (%(language)s) is not known"),
}
_ORIGINAL_NOT_KNOWN = pgettext_lazy("publication title note", "the original title is not known")
_ORIGINAL_TITLE = pgettext_lazy("publication title note", "original title: {title}")


def language_code(value: str) -> str:
    """ "EN", " en-GB " -> "en": the bare, lower-case code of a typed language."""
    return (value or "").strip().lower().split("-")[0]


@dataclass(frozen=True)
class TitleNote:
    """What a reader is told about a title (each part "" when not said)."""

    # The title shown is a translation from this language, the one the source gave.
    translated_from: str = ""
    # The title shown is the source's own, in this language (said when it is not the
    # language of the text).
    given_in: str = ""
    # The language of the text: the original title's `lang`, or, when the original title
    # is not known, named if the page is in another language.
    original_language: str = ""
    # The original title as printed, when known.
    original_title: str = ""
    # Whether to say that the original title is not known.
    original_not_known: bool = False

    def parts(self) -> list[SafeString]:
        """The note's clauses in the active language, as HTML."""
        parts = []
        if self.translated_from:
            parts.append(_clause(_TRANSLATED_FROM, self.translated_from))
        elif self.given_in:
            parts.append(_clause(_GIVEN_IN, self.given_in))
        if self.original_title:
            lang = self.original_language
            title = format_html(
                "<cite{}>{}</cite>",
                format_html(' lang="{}"', lang) if lang else "",
                self.original_title,
            )
            parts.append(format_html(str(_ORIGINAL_TITLE), title=title))
        elif self.original_not_known and self.original_language:
            parts.append(_clause(_ORIGINAL_NOT_KNOWN_IN, self.original_language))
        elif self.original_not_known:
            parts.append(format_html("{}", _ORIGINAL_NOT_KNOWN))
        return parts

    def html(self) -> SafeString:
        """The whole note: its clauses joined, as a sentence."""
        joined = format_html_join("; ", "{}", ((part,) for part in self.parts()))
        # Upper-casing the first letter of safe HTML keeps it safe (every clause starts
        # with text).
        return format_html("{}.", mark_safe(capfirst(joined)))  # noqa: S308


def _clause(messages: dict, code: str) -> SafeString:
    """The clause about language ``code``: its own message, else the generic one naming it."""
    if code in messages:
        return format_html("{}", messages[code])
    return format_html("{}", str(messages[None]) % {"language": language_name(code)})


def title_note(
    *, shown: str, title_language: str, text_language: str, original_title: str
) -> TitleNote | None:
    """What to say about a title shown in ``shown``, when the source gave it in
    ``title_language``, the text is in ``text_language`` and its title in that language is
    ``original_title`` ("" when not known). ``None`` when there is nothing to say: the title
    shown is the source's, in the language of the text, or nothing is known.

    A blank ``title_language`` means nobody recorded it: the title shown is not called a
    translation, and only a known original title in another language is shown.
    """
    shown, given, text = (language_code(code) for code in (shown, title_language, text_language))
    original_title = (original_title or "").strip()
    # The original is named by its language only when the page is in another one.
    named = text if text != shown else ""
    if not given:
        if text and shown != text and original_title:
            return TitleNote(original_language=text, original_title=original_title)
        return None
    translated = shown != given
    if not translated and (not text or text == shown):
        return None
    return TitleNote(
        translated_from=given if translated else "",
        given_in="" if translated else given,
        original_language=text if original_title else named,
        original_title=original_title,
        original_not_known=bool(text) and not original_title,
    )


def publication_title_note(publication, language: str | None = None) -> TitleNote | None:
    """The note for ``publication``'s title as a page in ``language`` (default: the current
    one) shows it: in that language, or in the other when only that one has a title.

    When the source gave the title in the language of the text, that title is the original.
    """
    _text, fallback = in_language(publication, "title", language)
    shown = fallback or current_language(language)
    text = language_code(publication.language)
    original = publication.original_title
    if not original and text and language_code(publication.title_language) == text:
        original = getattr(publication, f"title_{text}", "") or ""
    return title_note(
        shown=shown,
        title_language=publication.title_language,
        text_language=publication.language,
        original_title=original,
    )

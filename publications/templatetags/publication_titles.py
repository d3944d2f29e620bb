"""Template helpers of the publication pages."""

from django import template

from publications.titles import publication_title_note

register = template.Library()


@register.simple_tag
def title_note(publication) -> str:
    """The note saying that the title shown is a translation, or "" (publications.titles)."""
    note = publication_title_note(publication)
    return note.html() if note else ""

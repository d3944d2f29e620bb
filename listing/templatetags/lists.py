"""``{% cards "template" %}``: a list page's result cards, from the cache when it has them."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from listing.readers import PageRows

register = template.Library()


@register.simple_tag(takes_context=True)
def cards(context, template_name: str) -> str:
    """``template_name`` rendered with the page's ``object_list``: for a listing that
    reads its pages by id, cached per page (``PageRows.rendered``)."""
    rows = context["object_list"]

    def render(rows) -> str:
        return str(get_template(template_name).render({"object_list": rows}))

    return mark_safe(rows.rendered(render) if isinstance(rows, PageRows) else render(rows))  # noqa: S308 - a template's output

"""What the public may see: which rows are published, and which fields of a row.

The one home of the rules that protect people at risk. Organization, person and
publication pages, the lists and their cards, the exports, the sitemap and search
all ask here (through ``published()`` and ``with_public_contacts()`` on the
querysets, or the functions below), so a rule changed here changes every public
output; ``tests/directory/test_visibility.py`` proves it.

- A row is public when it is published (``published``); a related row shown with it
  (a partner, branch or parent organization, an editor, a publisher, an affiliation's
  organization or person) only when that row is published too: ``published(relation)``.
- The contacts of an organization (``CONTACT_FIELDS`` and its phones) are public only
  where ``contacts_public`` is on (``contacts_public``); elsewhere they are empty.
- A source is cited in public only where its ``is_public`` is on (``Source.objects.public()``,
  read for a page through ``with_public_sources``); an internal source is for staff.

The rules are SQL conditions (``Q``), so that lists, exports and the database's COPY
read them in the same query as the rows, never a row at a time.
"""

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Prefetch, Q, Value, When

# An organization's contact fields that are hidden where its contacts are not public.
CONTACT_FIELDS = ("address_ru", "address_en", "postal_code", "email")


def published(relation: str = "") -> Q:
    """Published rows; with ``relation`` ("organization__"), rows whose related row is."""
    return Q(**{f"{relation}is_published": True})


def contacts_public(organization: str = "") -> Q:
    """Organizations (at ``organization``, e.g. "organization__") with public contacts."""
    return Q(**{f"{organization}contacts_public": True})


def as_value(rule: Q) -> ExpressionWrapper:
    """A rule as a true/false value of each row, read in the same query as the row
    (``annotate``, ``values_list``): a publication's ``publisher``, an export's rows."""
    return ExpressionWrapper(rule, output_field=BooleanField())


def public_phones(phones):
    """The phones of ``phones`` the public may see: only those of public contacts."""
    return phones.filter(contacts_public("organization__"))


def with_public_contacts(organizations):
    """``organizations`` with ``public_<field>`` for each contact field ("" where hidden)
    and ``public_phones``: what public pages and exports read, never the raw fields."""
    from .models import Phone  # the models delegate here: imported when first used

    hidden = Value("")
    return organizations.annotate(
        **{
            f"public_{name}": Case(When(contacts_public(), then=F(name)), default=hidden)
            for name in CONTACT_FIELDS
        }
    ).prefetch_related(
        Prefetch("phones", queryset=public_phones(Phone.objects.all()), to_attr="public_phones")
    )


def with_public_sources(entries):
    """``entries`` (organizations, people or publications) with ``public_sources``: their
    public sources, oldest first and undated last, read in one query for all of them."""
    from .models import Source

    sources = Source.objects.public().order_by(F("date").asc(nulls_last=True), "pk")
    return entries.prefetch_related(Prefetch("sources", queryset=sources, to_attr="public_sources"))

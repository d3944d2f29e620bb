"""Facets as objects: each owns its SQL filter, its in-memory test of a candidate row,
its count, its options (Datasette's ``value, label, count, selected, toggle_url``), its
chips and its truncation flag.

A facet is a declaration, shared by every request; what a request knows about values
(regions, types of work, the chosen organizations) comes as ``lookups`` from the
listing, loaded once per search. Counts are keyed by the value the database holds
(an id, a year, a choice value); options and parameters use the value in the URL.
"""

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce
from itertools import chain
from types import SimpleNamespace

import django_filters
from django.db import connections
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext

from rightsnet.i18n import in_language
from rightsnet.text import collation_key

from . import querystring

NOTE_VALUE_LENGTH = 60
# A facet with more options than LONG_FACET shows TOP_OPTIONS of them (the selected
# ones and those with the most rows), the rest behind "Show all" (``ShownFacet.top``).
LONG_FACET = 10
TOP_OPTIONS = 8
# How the values chosen in a facet with a mode combine (``ManyToManyFacet(modes=True)``):
# ``{name}_mode=all`` asks for rows with every one; without it, any one will do.
ANY, ALL = "any", "all"
# A year as typed: ASCII digits only ("١٩٩٥" is no year a reader can check).
_YEAR = re.compile(r"[0-9]{1,4}", re.ASCII)


def truncate(value: str, length: int = NOTE_VALUE_LENGTH) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def in_label_order(items: Iterable, label: Callable = lambda item: item.label) -> list:
    """``items`` sorted by their label in the active language, as every facet's options
    are (``rightsnet.text.collation_key``: Russian collation, «ё» with «е»)."""
    return sorted(items, key=lambda item: collation_key(label(item)))


@dataclass
class FacetOption:
    """One facet value, as in Datasette: value, label, count, selected, toggle_url."""

    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    lang: str = ""


@dataclass
class Crumb:
    value: str
    label: str
    url: str
    lang: str = ""
    count: int | None = None


@dataclass
class NumberInput:
    """A number typed in the sidebar (a year), with its bounds."""

    value: str
    minimum: int
    maximum: int


@dataclass
class ShownFacet:
    """A facet as a page shows it: heading and options (a tree adds a breadcrumb; a
    number is typed in ``number`` instead).

    ``truncated``: only the top options are shown, not every value that has rows."""

    name: str
    label: str
    options: list[FacetOption]
    multiple: bool = True
    breadcrumb: list[Crumb] = field(default_factory=list)
    all_url: str = ""
    truncated: bool = False
    number: NumberInput | None = None
    # A facet whose values can combine with "all of": its two ways, as links.
    modes: list["ModeOption"] = field(default_factory=list)
    match_all: bool = False

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    @cached_property
    def top(self) -> list[FacetOption]:
        """The options shown at first, in label order: all of them, or for a long facet
        the selected ones and those with the most rows (``TOP_OPTIONS`` at least)."""
        if len(self.options) <= LONG_FACET:
            return self.options
        ranked = sorted(
            range(len(self.options)),
            key=lambda i: (not self.options[i].selected, -self.options[i].count, i),
        )
        chosen = {i for i in ranked[:TOP_OPTIONS]} | {
            i for i, option in enumerate(self.options) if option.selected
        }
        return [option for i, option in enumerate(self.options) if i in chosen]

    @property
    def rest(self) -> list[FacetOption]:
        """The options behind "Show all", in label order (each option is in ``top`` or
        here, never both)."""
        shown = {id(option) for option in self.top}
        return [option for option in self.options if id(option) not in shown]


@dataclass
class ModeOption:
    """One way of combining a facet's values ("any of", "all of") as a link."""

    value: str
    label: str
    selected: bool
    url: str


@dataclass
class Chip:
    """An active filter, shown with a link that removes it."""

    name: str
    label: str
    value: str
    remove_url: str
    lang: str = ""


class Lookups(SimpleNamespace):
    """What a search knows about values (regions, types of work...), loaded once per
    search; facets keep here what they derive from it (their choices, in its language)."""

    def derived(self, key, build: Callable):
        memo = self.__dict__.setdefault("_derived", {})
        if key not in memo:
            memo[key] = build()
        return memo[key]


@dataclass(frozen=True, slots=True)
class Choice:
    """A known value of a facet: in the URL (``value``), in the database (``key``), shown."""

    value: str
    key: object
    label: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Named:
    """A region, type of work or series as facets need it: plain values, no model instance.

    Built from ``values_list`` (see ``named()``): regions are a few hundred rows
    loaded on every list page, and model instances cost more than the query.
    """

    pk: int
    slug: str
    name_ru: str
    name_en: str
    parent_id: int | None = None
    path: str = ""


def named(queryset: QuerySet, *, tree: bool = False) -> list[Named]:
    fields = ["id", "slug", "name_ru", "name_en"] + (["parent_id", "path"] if tree else [])
    return [Named(*row) for row in queryset.order_by().values_list(*fields)]


def named_choices(objects: Iterable) -> list[Choice]:
    """Choices of named rows by slug, in the order of their labels in the current language."""
    return in_label_order(Choice(o.slug, o.pk, *in_language(o, "name")) for o in objects)


class Tree:
    """Every node of a tree in memory (regions are few): paths, labels and roll-ups.

    ``path_ids`` reads a node's materialised path (``Region.path_ids``)."""

    def __init__(self, nodes: Iterable, path_ids: Callable[[str], list[int]]):
        self.path_ids = path_ids
        self.by_id = {node.pk: node for node in nodes}
        self.by_slug = {node.slug: node for node in self.by_id.values()}
        self.children: dict[int | None, list] = {}
        for node in self.by_id.values():
            self.children.setdefault(node.parent_id, []).append(node)
        for siblings in self.children.values():
            siblings.sort(key=lambda node: collation_key(in_language(node, "name")[0]))
        self._paths = [(node.path, node.pk) for node in self.by_id.values()]

    def descendant_ids(self, node) -> list[int]:
        return [pk for path, pk in self._paths if path.startswith(node.path)]

    def ancestors(self, node) -> list:
        return [self.by_id[i] for i in self.path_ids(node.path) if i in self.by_id]

    def rolled_up(self, counts: dict[int, int]) -> Counter:
        """Counts per node including every node below it."""
        totals: Counter = Counter()
        for node_id, n in counts.items():
            if (node := self.by_id.get(node_id)) is not None:
                for ancestor in self.ancestors(node):
                    totals[ancestor.pk] += n
        return totals


def _link(field) -> tuple:
    """The link model of a many-to-many ``field`` and its two id columns."""
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return field.remote_field.through, f"{owner}_id", f"{target}_id"


def count_through(field, rows: QuerySet) -> dict:
    """``{value id: number of rows}`` of a many-to-many ``field`` for the ``rows``.

    Django's M2M tables hold each (row, value) pair once, so counting pairs counts
    rows, without the sort that COUNT(DISTINCT ...) costs."""
    through, owner, target = _link(field)
    pairs = (
        through.objects.filter(**{f"{owner}__in": rows.order_by().values("pk")})
        .order_by()
        .values(target)
        .annotate(n=Count("*"))
        .values_list(target, "n")
    )
    return dict(pairs)


class Facet:
    """A query parameter that filters the rows: the base of every facet.

    ``column`` is the model column a facet counts on (the listing counts those of
    every inactive facet in one grouped query); ``candidate_column`` what the
    in-memory path reads of a row for the facet's ``row_test`` and ``row_counts``.
    """

    single_valued = False
    column: str | None = None
    candidate_column: str | None = None
    # False for a filter without options to count (a typed year): the in-memory path
    # applies it in SQL to the rows it reads.
    counted = True

    # The parameter that says how the chosen values combine (None: "any of" only).
    mode_param: str | None = None

    def __init__(self, name: str, label):
        self.name, self.label = name, label

    @property
    def param_names(self) -> tuple[str, ...]:
        """Every query parameter the facet reads: its values, and its mode if any."""
        return (self.name, self.mode_param) if self.mode_param else (self.name,)

    def match_all(self, params) -> bool:
        """Whether the cleaned ``params`` ask for rows with every chosen value."""
        return bool(self.mode_param) and params.get(self.mode_param) == [ALL]

    def clean_mode(self, values: list[str]) -> tuple[list[str], list[str]]:
        """The mode kept in the cleaned parameters (only "all": "any" is the default)
        and a note for a value that is neither."""
        notes = [
            gettext(
                "“%(value)s” is not a way to combine “%(filter)s”: showing rows with "
                "any of the selected."
            )
            % {"value": truncate(value), "filter": self.label}
            for value in values[:1]
            if value not in (ANY, ALL)
        ]
        return [ALL] if values[:1] == [ALL] else [], notes

    def disjunctive(self, params) -> bool:
        """Whether the facet's options count with every filter but its own (the usual
        disjunctive count); False in "all of" mode, where each option counts the rows
        that adding it would give: every filter applied, its own included."""
        return not self.match_all(params)

    def known(self, lookups) -> dict | None:
        """Values the parameter may take (unknown ones are dropped), None for any."""
        return None

    def clean(self, values: list[str]) -> tuple[list[str], list[str]]:
        """The values kept, and a note for each value dropped (none by default)."""
        return values, []

    def filter(self, queryset, values: list[str], lookups):
        raise NotImplementedError

    def as_filter(self, lookups, params=None) -> django_filters.Filter:
        """The facet as a django-filter Filter: its form field validates the cleaned
        values (here: any of the known ones), its ``method`` is ``filter``; ``params``:
        the cleaned parameters (a facet's mode)."""
        return django_filters.MultipleChoiceFilter(
            label=self.label,
            choices=[(value, value) for value in self.known(lookups)],
            method=lambda queryset, name, values: self.filter(queryset, values, lookups),
        )

    def _method(self, lookups) -> Callable:
        """``filter`` as the method of a filter that gives one value."""
        return lambda queryset, name, value: self.filter(queryset, [value], lookups)

    def count(self, rows: QuerySet, params, lookups):
        """Counts of a facet that no grouped column query can give, over ``rows``."""
        raise NotImplementedError

    def shown(self, counts, params, lookups) -> ShownFacet | None:
        return None

    def chips(self, params, lookups) -> list[Chip]:
        known = self.known(lookups)  # every value of the cleaned params is known
        return [
            Chip(
                name=self.name,
                label=str(self.label),
                value=str(known[value].label),
                remove_url=querystring.remove(params, self.name, value),
                lang=known[value].lang,
            )
            for value in params.get(self.name, [])
        ]


class TextFacet(Facet):
    """The text search ``q``: ``condition(q, connection)`` is its SQL, ``words(q)`` the
    words a search reads (none: dropped with a note), ``relevance(q)`` its ORDER BY."""

    single_valued = True
    counted = False

    def __init__(self, name, label, *, condition, words, relevance, max_length):
        super().__init__(name, label)
        self.condition, self.words, self.relevance = condition, words, relevance
        self.max_length = max_length

    def as_filter(self, lookups, params=None):
        return django_filters.CharFilter(
            label=self.label, max_length=self.max_length, method=self._method(lookups)
        )

    def filter(self, queryset, values, lookups):
        return queryset.filter(self.condition(values[0], connections[queryset.db]))

    def chips(self, params, lookups):
        return [
            Chip(
                name=self.name,
                label=str(self.label),
                value=truncate(value),
                remove_url=querystring.remove(params, self.name),
            )
            for value in params.get(self.name, [])[:1]
        ]


class ChoiceFacet(Facet):
    """Values of a model column: ``choices`` is a list of ``(value, label)`` or a callable
    of the lookups giving ``Choice``s, shown in label order (``in_label_order``) unless
    ``label_order`` is False (years: newest first, as given). ``hide_empty`` leaves out
    options without rows unless selected."""

    def __init__(self, name, label, *, column, choices, hide_empty=False, label_order=True):
        super().__init__(name, label)
        self.column = self.candidate_column = column
        self.hide_empty, self.label_order = hide_empty, label_order
        self._choices = choices if callable(choices) else (lambda lookups: choices)

    def choices(self, lookups) -> list[Choice]:
        return list(self.known(lookups).values())

    def known(self, lookups):
        return lookups.derived(self.name, lambda: self._known(lookups))

    def _known(self, lookups) -> dict[str, Choice]:
        choices = [
            c if isinstance(c, Choice) else Choice(c[0], c[0], str(c[1]))
            for c in self._choices(lookups)
        ]
        if self.label_order:
            choices = in_label_order(choices)
        return {choice.value: choice for choice in choices}

    def keys(self, values, lookups) -> frozenset:
        known = self.known(lookups)
        return frozenset(known[value].key for value in values if value in known)

    def filter(self, queryset, values, lookups):
        known = self.known(lookups)
        return queryset.filter(**{f"{self.column}__in": [known[v].key for v in values]})

    def row_test(self, values, lookups, params=None) -> Callable[[object], bool]:
        keys = self.keys(values, lookups)
        return lambda value: value in keys

    def row_counts(self, values: Iterable, lookups) -> Counter:
        return Counter(values)

    def shown(self, counts, params, lookups):
        selected = set(params.get(self.name, []))
        options = [
            FacetOption(
                value=choice.value,
                label=str(choice.label),
                count=counts.get(choice.key, 0),
                selected=choice.value in selected,
                toggle_url=querystring.toggle(params, self.name, choice.value),
                lang=choice.lang,
            )
            for choice in self.choices(lookups)
            if not self.hide_empty or counts.get(choice.key) or choice.value in selected
        ]
        return ShownFacet(name=self.name, label=str(self.label), options=options)


class ManyToManyFacet(ChoiceFacet):
    """Values through a many-to-many field (types of work, topics): a row matches when
    it has any chosen value; counted through the M2M table (``field``: the model field).

    ``modes``: ``{name}_mode=all`` asks for rows with every chosen value instead; each
    option then counts the rows adding it would give (``Facet.disjunctive``)."""

    def __init__(self, name, label, *, field, choices, hide_empty=False, modes=False):
        super().__init__(name, label, column=None, choices=choices, hide_empty=hide_empty)
        self.field = field
        self.candidate_column = f"{field.name}__id"
        self.mode_param = f"{name}_mode" if modes else None

    def as_filter(self, lookups, params=None):
        every = self.match_all(params or {})
        return django_filters.MultipleChoiceFilter(
            label=self.label,
            choices=[(value, value) for value in self.known(lookups)],
            method=lambda queryset, name, values: self.filter(
                queryset, values, lookups, every=every
            ),
        )

    def filter(self, queryset, values, lookups, *, every=False):
        through, owner, target = _link(self.field)
        keys = [self.known(lookups)[value].key for value in values]
        if every:
            # One EXISTS per value: each is an index lookup of the link table.
            for key in keys:
                queryset = queryset.filter(
                    Exists(through.objects.filter(**{owner: OuterRef("pk"), target: key}))
                )
            return queryset
        links = through.objects.filter(**{owner: OuterRef("pk"), f"{target}__in": keys})
        return queryset.filter(Exists(links))

    def row_test(self, values, lookups, params=None):
        keys = self.keys(values, lookups)
        if self.match_all(params or {}):
            return lambda value: keys <= value
        return lambda value: not keys.isdisjoint(value)

    def row_counts(self, values, lookups):
        return Counter(chain.from_iterable(values))

    def count(self, rows, params, lookups) -> dict:
        return count_through(self.field, rows)

    def shown(self, counts, params, lookups):
        shown = super().shown(counts, params, lookups)
        if self.mode_param:
            every = self.match_all(params)
            shown.match_all = every
            shown.modes = [
                ModeOption(
                    value=ANY,
                    label=gettext("any of the selected"),
                    selected=not every,
                    url=querystring.remove(params, self.mode_param),
                ),
                ModeOption(
                    value=ALL,
                    label=gettext("all of the selected"),
                    selected=every,
                    url=querystring.replace(params, self.mode_param, ALL),
                ),
            ]
        return shown

    def chips(self, params, lookups):
        chips = super().chips(params, lookups)
        if self.match_all(params):
            label = gettext("%(filter)s, all of") % {"filter": self.label}
            for chip in chips:
                chip.label = label
        return chips


class TagFacet(Facet):
    """Codes that a few rows carry (an organization's designations): ``tagged(lookups)``
    is ``{row id: frozenset of codes}`` of every row with any, small enough to hold in
    memory (the caller caches it); ``choices`` the codes ``(value, label)`` in the order
    shown. A row matches when it carries any chosen code. Counted in one query over the
    tagged ids (none when no row is tagged), tested in memory on the row's id: the
    list's indexes are read as without this facet."""

    candidate_column = "pk"

    def __init__(self, name, label, *, choices, tagged: Callable):
        super().__init__(name, label)
        self._choices, self._tagged = choices, tagged

    def tagged(self, lookups) -> dict:
        return lookups.derived(f"{self.name}:tagged", lambda: self._tagged(lookups))

    def known(self, lookups):
        return {value: Choice(value, value, str(label)) for value, label in self._choices}

    def _ids(self, values, lookups) -> list:
        chosen = set(values)
        return [pk for pk, codes in self.tagged(lookups).items() if not codes.isdisjoint(chosen)]

    def filter(self, queryset, values, lookups):
        if ids := self._ids(values, lookups):
            return queryset.filter(pk__in=ids)
        # No row carries the codes: a condition that compiles (an export's COPY compiles
        # the query itself, where "IN ()" would raise EmptyResultSet) and matches none.
        return queryset.filter(Value(False, output_field=BooleanField()))

    def row_test(self, values, lookups, params=None):
        ids = frozenset(self._ids(values, lookups))
        return lambda pk: pk in ids

    def row_counts(self, values, lookups) -> Counter:
        tagged = self.tagged(lookups)
        return Counter(code for pk in values for code in tagged.get(pk, ()))

    def count(self, rows, params, lookups) -> Counter:
        tagged = self.tagged(lookups)
        if not tagged:
            return Counter()
        found = rows.filter(pk__in=list(tagged)).order_by().values_list("pk", flat=True)
        return Counter(code for pk in found for code in tagged[pk])

    def shown(self, counts, params, lookups):
        selected = set(params.get(self.name, []))
        options = [
            FacetOption(
                value=choice.value,
                label=choice.label,
                count=counts.get(choice.value, 0),
                selected=choice.value in selected,
                toggle_url=querystring.toggle(params, self.name, choice.value),
            )
            for choice in in_label_order(self.known(lookups).values())
        ]
        return ShownFacet(name=self.name, label=str(self.label), options=options)


class YearFacet(Facet):
    """A year typed in the sidebar (``year=1995``), from ``minimum`` to ``maximum``:
    ``condition(year)`` is its SQL. No options, nothing to count; a value that is no
    such year is dropped with a note."""

    single_valued = True
    counted = False

    def __init__(self, name, label, *, condition: Callable, minimum: int, maximum: int):
        super().__init__(name, label)
        self.condition, self.minimum, self.maximum = condition, minimum, maximum

    def clean(self, values):
        kept, notes = [], []
        for value in values:
            if _YEAR.fullmatch(value) and self.minimum <= int(value) <= self.maximum:
                kept.append(str(int(value)))
                continue
            notes.append(
                gettext(
                    "Filter “%(filter)s” ignored: “%(value)s” is not a year "
                    "from %(min)s to %(max)s."
                )
                % {
                    "filter": self.label,
                    "value": truncate(value),
                    "min": self.minimum,
                    "max": self.maximum,
                }
            )
        return kept, notes

    def as_filter(self, lookups, params=None):
        return django_filters.CharFilter(label=self.label, method=self._method(lookups))

    def filter(self, queryset, values, lookups):
        return queryset.filter(self.condition(int(values[0])))

    def shown(self, counts, params, lookups):
        value = (params.get(self.name) or [""])[0]
        return ShownFacet(
            name=self.name,
            label=str(self.label),
            options=[],
            multiple=False,
            number=NumberInput(value=value, minimum=self.minimum, maximum=self.maximum),
        )

    def chips(self, params, lookups):
        return [
            Chip(
                name=self.name,
                label=str(self.label),
                value=value,
                remove_url=querystring.remove(params, self.name),
            )
            for value in params.get(self.name, [])[:1]
        ]


class TreeFacet(Facet):
    """One node of a tree (regions): rows in it or below it. Shown as a breadcrumb to
    the chosen node and its children, with counts rolled up the tree."""

    single_valued = True

    def __init__(self, name, label, *, column, tree: Callable):
        super().__init__(name, label)
        self.column = self.candidate_column = column
        self.tree = tree

    def known(self, lookups):
        return self.tree(lookups).by_slug

    def as_filter(self, lookups, params=None):
        # A slug, known to the cleaning: as choices, every node would be copied into
        # the form of every request.
        return django_filters.CharFilter(label=self.label, method=self._method(lookups))

    def _ids(self, values, lookups) -> list[int]:
        tree = self.tree(lookups)
        return tree.descendant_ids(tree.by_slug[values[0]])

    def filter(self, queryset, values, lookups):
        return queryset.filter(**{f"{self.column}__in": self._ids(values, lookups)})

    def row_test(self, values, lookups, params=None):
        ids = frozenset(self._ids(values, lookups))
        return lambda value: value in ids

    def row_counts(self, values, lookups):
        return Counter(values)

    def totals(self, counts, tree) -> Counter:
        """Counts per node including every node below it."""
        return tree.rolled_up(counts)

    def shown(self, counts, params, lookups):
        tree = self.tree(lookups)
        totals = self.totals(counts or {}, tree)
        chosen = self._chosen(params, lookups)

        def shown_node(node) -> dict:
            label, lang = in_language(node, "name")
            return {"value": node.slug, "label": label, "lang": lang, "count": totals[node.pk]}

        def url(node) -> str:
            return querystring.replace(params, self.name, node.slug)

        children = tree.children.get(chosen.pk if chosen else None, [])
        return ShownFacet(
            name=self.name,
            label=str(self.label),
            options=[
                FacetOption(**shown_node(node), selected=False, toggle_url=url(node))
                for node in children
            ],
            multiple=False,
            breadcrumb=[
                Crumb(**shown_node(node), url=url(node))
                for node in (tree.ancestors(chosen) if chosen else [])
            ],
            all_url=querystring.remove(params, self.name),
        )

    def _chosen(self, params, lookups):
        slug = (params.get(self.name) or [None])[0]
        return self.tree(lookups).by_slug.get(slug) if slug else None

    def chips(self, params, lookups):
        chosen = self._chosen(params, lookups)
        if chosen is None:
            return []
        text, lang = in_language(chosen, "name")
        remove_url = querystring.remove(params, self.name)
        return [
            Chip(
                name=self.name, label=str(self.label), value=text, remove_url=remove_url, lang=lang
            )
        ]


class ManyToManyTreeFacet(TreeFacet):
    """One node of a tree reached through a many-to-many ``field`` (a practice's
    regions): rows with any value in the chosen node or below it. Counted through the
    M2M table: a row counts once in a node however many of its values lie below it.
    Not tested in memory (no ``candidate_column``): its listing reads text matches in SQL."""

    def __init__(self, name, label, *, field, tree: Callable):
        super().__init__(name, label, column=None, tree=tree)
        self.field = field

    def filter(self, queryset, values, lookups):
        through, owner, target = _link(self.field)
        links = through.objects.filter(
            **{owner: OuterRef("pk"), f"{target}__in": self._ids(values, lookups)}
        )
        return queryset.filter(Exists(links))

    def count(self, rows, params, lookups) -> Counter:
        """``{node id: rows with a value in it or below}``, from the rows' (row, value)
        pairs in one query (a row has a few values: the pairs stay few)."""
        through, owner, target = _link(self.field)
        tree = self.tree(lookups)
        pairs = (
            through.objects.filter(**{f"{owner}__in": rows.order_by().values("pk")})
            .order_by()
            .values_list(owner, target)
        )
        # A value counts for its node and every node above it, once per row.
        containing: dict[int, frozenset] = {}
        nodes_of: dict[int, set] = {}
        for row_id, node_id in pairs:
            if node_id not in containing:
                node = tree.by_id.get(node_id)
                path = tree.ancestors(node) if node else ()
                containing[node_id] = frozenset(a.pk for a in path)
            nodes_of.setdefault(row_id, set()).update(containing[node_id])
        return Counter(chain.from_iterable(nodes_of.values()))

    def totals(self, counts, tree) -> Counter:
        return Counter(counts)


class RelatedFacet(Facet):
    """Related objects through a link table (people's organizations): shows the ``size``
    objects with the most rows plus the chosen ones (in label order), ``truncated``
    when there are more.

    ``chosen(lookups)``: the chosen objects by slug; ``link``: the link model;
    ``owner``/``target``: its fields towards the rows and the objects; ``counted``:
    the link rows that count (a callable giving a QuerySet)."""

    def __init__(self, name, label, *, link, owner, target, chosen, counted, size):
        super().__init__(name, label)
        self.link, self.owner, self.target = link, owner, target
        self.chosen, self.counted, self.size = chosen, counted, size
        self.columns = (f"{target}__slug", f"{target}__name_ru", f"{target}__name_en")

    def known(self, lookups):
        return lookups.derived(
            self.name,
            lambda: {
                slug: Choice(slug, obj.pk, *in_language(obj, "name"))
                for slug, obj in self.chosen(lookups).items()
            },
        )

    def filter(self, queryset, values, lookups):
        known = self.known(lookups)
        links = self.link.objects.filter(
            **{
                f"{self.owner}_id": OuterRef("pk"),
                f"{self.target}_id__in": [known[v].key for v in values],
            }
        )
        return queryset.filter(Exists(links))

    def count(self, rows, params, lookups) -> tuple[list[tuple], bool]:
        """The top rows ``(slug, name_ru, name_en, n)`` and the chosen ones, and whether
        more were left out, in one grouped query read through the cursor (every
        object with rows comes back, of which a few are shown)."""
        selected = set(params.get(self.name, []))
        grouped = (
            self.counted()
            .filter(**{f"{self.owner}_id__in": rows.order_by().values("pk")})
            .order_by()
            .values_list(*self.columns)
            .annotate(n=Count(f"{self.owner}_id", distinct=True))
            .order_by("-n", self.columns[0])
        )
        sql, sql_params = grouped.query.sql_with_params()
        with connections[grouped.db].cursor() as cursor:
            cursor.execute(sql, sql_params)
            names = [column[0] for column in cursor.description]
            at = [names.index(name) for name in (*self.columns, "n")]
            shown, truncated = [], False
            for row in cursor.fetchall():
                if len(shown) < self.size or row[at[0]] in selected:
                    shown.append(tuple(row[i] for i in at))
                else:
                    truncated = True
        return shown, truncated

    def shown(self, counts, params, lookups):
        rows, truncated = counts
        known = self.known(lookups)
        choices, found = [], {}
        for slug, name_ru, name_en, n in rows:
            found[slug] = n
            choices.append(
                Choice(slug, None, *in_language(Named(0, slug, name_ru, name_en), "name"))
            )
        choices += [choice for slug, choice in known.items() if slug not in found]
        selected = set(params.get(self.name, []))
        options = [
            FacetOption(
                value=choice.value,
                label=choice.label,
                count=found.get(choice.value, 0),
                selected=choice.value in selected,
                toggle_url=querystring.toggle(params, self.name, choice.value),
                lang=choice.lang,
            )
            for choice in in_label_order(choices)
            if choice.value in found or choice.value in selected
        ]
        return ShownFacet(
            name=self.name, label=str(self.label), options=options, truncated=truncated
        )


class DecadeFacet(Facet):
    """A year column by decade: ``founded=1990`` is 1990–1999, ``founded=unknown`` the
    rows without a year; values combine with "any of". Counted per year in a grouped
    query of its own (the list's covering index does not hold the column) and summed
    per decade when shown, oldest first; options without rows are left out unless
    selected. A value that is no decade from ``minimum`` to ``maximum`` is dropped
    with a note."""

    UNKNOWN = "unknown"

    def __init__(self, name, label, *, field: str, minimum: int, maximum: int, unknown_label):
        super().__init__(name, label)
        self.field = self.candidate_column = field
        self.minimum, self.maximum = minimum // 10 * 10, maximum // 10 * 10
        self.unknown_label = unknown_label

    @staticmethod
    def decade(year: int | None) -> str:
        """The value of the decade of ``year`` (``unknown`` for no year)."""
        return DecadeFacet.UNKNOWN if year is None else str(year // 10 * 10)

    def known(self, lookups):
        return lookups.derived(self.name, self._known)

    def _known(self) -> dict[str, Choice]:
        known = {
            str(start): Choice(str(start), start, f"{start}–{start + 9}")
            for start in range(self.minimum, self.maximum + 1, 10)
        }
        known[self.UNKNOWN] = Choice(self.UNKNOWN, None, str(self.unknown_label))
        return known

    def clean(self, values):
        kept, notes = [], []
        for value in values:
            start = int(value) if _YEAR.fullmatch(value) else None
            if value == self.UNKNOWN:
                kept.append(value)
            elif start is not None and start % 10 == 0 and self.minimum <= start <= self.maximum:
                kept.append(str(start))
            else:
                notes.append(
                    gettext(
                        "Filter “%(filter)s” ignored: “%(value)s” is not the first year of a "
                        "decade from %(min)s to %(max)s (1990 is 1990–1999)."
                    )
                    % {
                        "filter": self.label,
                        "value": truncate(value),
                        "min": self.minimum,
                        "max": self.maximum,
                    }
                )
        return kept, notes

    def filter(self, queryset, values, lookups):
        conditions = [
            Q(**{f"{self.field}__isnull": True})
            if value == self.UNKNOWN
            else Q(**{f"{self.field}__gte": int(value), f"{self.field}__lte": int(value) + 9})
            for value in values
        ]
        return queryset.filter(reduce(operator.or_, conditions))

    def row_test(self, values, lookups, params=None):
        chosen = frozenset(values)
        return lambda year: self.decade(year) in chosen

    def row_counts(self, values, lookups) -> Counter:
        return Counter(values)

    def count(self, rows, params, lookups) -> dict:
        """``{year or None: rows}``, as ``row_counts`` keys them."""
        grouped = rows.order_by().values(self.field).annotate(n=Count("*"))
        return dict(grouped.values_list(self.field, "n"))

    def decade_counts(self, counts) -> Counter:
        """Per-year ``counts`` summed per decade value."""
        totals: Counter = Counter()
        for year, n in (counts or {}).items():
            totals[self.decade(year)] += n
        return totals

    def shown(self, counts, params, lookups):
        totals = self.decade_counts(counts)
        selected = set(params.get(self.name, []))
        options = [
            FacetOption(
                value=choice.value,
                label=choice.label,
                count=totals.get(choice.value, 0),
                selected=choice.value in selected,
                toggle_url=querystring.toggle(params, self.name, choice.value),
            )
            for choice in self.known(lookups).values()
            if totals.get(choice.value) or choice.value in selected
        ]
        return ShownFacet(name=self.name, label=str(self.label), options=options)

"""The site's data as a whole: the real sample data of every app, and the fields that
raw and bulk writes skip, recomputed for every app's models."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from directory import events, freshness
from directory.models import Organization, OrganizationEvent, Person, Practice, Region
from publications.models import Publication

SAMPLE_DATA_DIR: Path = Path(settings.BASE_DIR) / "fixtures"
# Dependency order: every file only points at rows of itself or of the files before it.
SAMPLE_DATA_FILES: tuple[str, ...] = (
    "regions.json",
    "activities.json",
    "sources.json",
    "organizations.json",
    "events.json",
    "people.json",
    "publications.json",
    "practices.json",
)


@dataclass(frozen=True)
class DerivedFieldsResult:
    """How many rows had a stale derived field and were rewritten."""

    regions: int = 0
    organizations: int = 0
    people: int = 0
    publications: int = 0
    practices: int = 0

    @property
    def total(self) -> int:
        return self.regions + self.organizations + self.people + self.publications + self.practices


@dataclass
class SampleDataResult:
    """Rows inserted and left alone per model label (``directory.organization``)."""

    created: dict[str, int] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    derived: DerivedFieldsResult = field(default_factory=DerivedFieldsResult)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def existing_total(self) -> int:
        return sum(self.existing.values())


def sample_data_paths() -> list[Path]:
    return [SAMPLE_DATA_DIR / name for name in SAMPLE_DATA_FILES]


def load_sample_data(*, paths: Sequence[Path] | None = None) -> SampleDataResult:
    """Insert the rows of the sample-data fixtures that are not in the database yet.

    Rows are matched by their fixed primary key. A row already present is left
    exactly as it is (so edits made in the admin survive ``make run``), which makes
    loading twice a no-op. A fixture row whose key or slug is taken by a different
    row is skipped and reported in ``conflicts``. Every inserted row passes
    ``full_clean()`` first; derived fields are recomputed at the end. All or nothing.
    """
    result = SampleDataResult()
    inserted_models: set[type[models.Model]] = set()
    with transaction.atomic():
        for path in paths if paths is not None else sample_data_paths():
            with open(path, encoding="utf-8") as stream:
                deserialized = list(serializers.deserialize("json", stream))
            present = _present_rows(obj.object for obj in deserialized)
            for item in deserialized:
                instance = item.object
                model = type(instance)
                label = model._meta.label_lower
                slug = getattr(instance, "slug", None)
                current = present.get((model, instance.pk))
                if current is not None:
                    if slug is not None and current != slug:
                        result.conflicts.append(
                            f"{path.name}: {label} {instance.pk} is taken by {current!r}"
                        )
                    else:
                        result.existing[label] = result.existing.get(label, 0) + 1
                    continue
                if slug and model._default_manager.filter(slug=slug).exists():
                    result.conflicts.append(f"{path.name}: {label} slug {slug!r} is taken")
                    continue
                _fill_timestamps(instance)
                instance.full_clean()
                item.save()
                inserted_models.add(model)
                result.created[label] = result.created.get(label, 0) + 1
        if inserted_models:
            _reset_sequences(inserted_models)
        result.derived = rebuild_derived_fields()
    return result


def _present_rows(instances: Iterable[models.Model]) -> dict[tuple[type, object], str]:
    """``(model, pk) -> slug`` (or ``""``) of the given rows already in the database."""
    pks_by_model: dict[type[models.Model], list] = {}
    for instance in instances:
        pks_by_model.setdefault(type(instance), []).append(instance.pk)
    present: dict[tuple[type, object], str] = {}
    for model, pks in pks_by_model.items():
        has_slug = any(f.name == "slug" for f in model._meta.concrete_fields)
        columns = ("pk", "slug") if has_slug else ("pk",)
        for row in model._default_manager.filter(pk__in=pks).values_list(*columns):
            present[(model, row[0])] = row[1] if has_slug else ""
    return present


def _fill_timestamps(instance: models.Model) -> None:
    """Raw saves skip ``auto_now``/``auto_now_add``; give new rows the current time."""
    now = timezone.now()
    for model_field in instance._meta.concrete_fields:
        automatic = getattr(model_field, "auto_now", False) or getattr(
            model_field, "auto_now_add", False
        )
        if automatic and getattr(instance, model_field.attname) is None:
            setattr(instance, model_field.attname, now)


def _reset_sequences(model_classes: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the fixed keys just inserted (as loaddata does)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def rebuild_derived_fields(*, batch_size: int = 1000) -> DerivedFieldsResult:
    """Recompute what ``save()`` derives but raw or bulk writes skip.

    Region ``path``/``depth`` from the parent links, what organizations derive from
    their events (``directory.events``), and ``search_text`` of organizations, people,
    publications and practical experience. Only stale rows are written, with
    ``bulk_update`` so ``updated_at`` is untouched; a second call writes nothing.
    """
    with transaction.atomic():
        result = DerivedFieldsResult(
            regions=_rebuild_region_paths(batch_size=batch_size),
            organizations=_rebuild_event_fields(batch_size=batch_size)
            + _rebuild_search_text(Organization, batch_size=batch_size),
            people=_rebuild_search_text(Person, batch_size=batch_size),
            publications=_rebuild_search_text(Publication, batch_size=batch_size),
            practices=_rebuild_search_text(Practice, batch_size=batch_size),
        )
        if result.total:
            # bulk_update sends no signals.
            freshness.bump()
        return result


def _rebuild_region_paths(*, batch_size: int) -> int:
    rows = {pk: (parent_id, path, depth) for pk, parent_id, path, depth in
            Region.objects.values_list("pk", "parent_id", "path", "depth")}  # fmt: skip
    computed: dict[int, str] = {}

    def path_of(pk: int) -> str:
        chain = []
        node: int | None = pk
        while node is not None and node not in computed:
            if node in chain:
                raise ValueError(f"Regions form a cycle: {chain}")
            chain.append(node)
            node = rows[node][0]
        prefix = computed[node] if node is not None else "/"
        for member in reversed(chain):
            prefix = f"{prefix}{member}/"
            computed[member] = prefix
        return computed[pk]

    stale = []
    for pk, (_parent_id, path, depth) in rows.items():
        new_path = path_of(pk)
        new_depth = new_path.count("/") - 2
        if (new_path, new_depth) != (path, depth):
            stale.append(Region(pk=pk, path=new_path, depth=new_depth))
    Region.objects.bulk_update(stale, ["path", "depth"], batch_size=batch_size)
    return len(stale)


def _rebuild_event_fields(*, batch_size: int) -> int:
    """Status, founding year, designations and former names from the public events.

    A founding year written without its event (a raw or bulk insert) gets the event
    first, as ``Organization.save()`` would have made it.
    """
    stale = []
    names = events.DERIVED_FIELDS
    queryset = Organization.objects.order_by("pk").prefetch_related("events")
    for organization in queryset.iterator(chunk_size=batch_size):
        before = tuple(getattr(organization, name) for name in names)
        known = list(organization.events.all())
        if organization.founded is not None and not any(
            e.is_public and e.kind == "founded" for e in known
        ):
            date, precision = events.founded_event_date(organization.founded)
            known.append(
                OrganizationEvent.objects.create(
                    organization=organization, kind="founded", date=date, date_precision=precision
                )
            )
        derived = events.derive(known, staff_status=organization.status)
        derived.apply(organization)
        if tuple(getattr(organization, name) for name in names) != before:
            stale.append(organization)
    Organization.objects.bulk_update(stale, names, batch_size=batch_size)
    return len(stale)


def _rebuild_search_text(model: type[models.Model], *, batch_size: int) -> int:
    stale = []
    for instance in model._default_manager.order_by("pk").iterator(chunk_size=batch_size):
        text = instance.build_search_text()
        if text != instance.search_text:
            instance.search_text = text
            stale.append(instance)
    model._default_manager.bulk_update(stale, ["search_text"], batch_size=batch_size)
    return len(stale)

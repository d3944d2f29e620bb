"""Writes with rules for the directory: staff actions (verify, publish, status), restore
from history and the CSV import. Loading the sample data and recomputing derived fields
span every app, so they live in ``sitedata.services``."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import DatabaseError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from listing.columns import cell_text
from rightsnet.i18n import in_language

from . import columns, events, importing, suggestions
from .importing import CsvTable, FieldChange, ImportReport, Problem, RowResult
from .models import (
    ActivityType,
    Affiliation,
    Organization,
    OrganizationEvent,
    Person,
    Phone,
    Practice,
    Region,
    Source,
    Submission,
)

# Staff actions. Each change is saved one row at a time so that the history
# records who did it (``_history_user``) and why (``_change_reason``).


def _record(instance: models.Model, *, user, reason: str) -> None:
    instance._history_user = user
    instance._change_reason = reason


def _update_organizations(
    organizations: Iterable[Organization], *, user, reason: str, **values
) -> int:
    changed = 0
    with transaction.atomic():
        for organization in organizations:
            if all(getattr(organization, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(organization, name, value)
            organization.full_clean()
            _record(organization, user=user, reason=reason)
            organization.save(update_fields=[*values, "updated_at"])
            changed += 1
    return changed


def organization_mark_verified(
    *, organizations: Iterable[Organization], user, on: datetime.date | None = None
) -> int:
    """Set ``last_verified`` (today by default); returns how many rows changed."""
    on = on or timezone.localdate()
    return _update_organizations(
        organizations,
        user=user,
        reason=_("Marked verified on %(date)s") % {"date": on.isoformat()},
        last_verified=on,
    )


def organization_set_published(
    *, organizations: Iterable[Organization], user, published: bool
) -> int:
    """Publish or unpublish; returns how many rows changed."""
    return _update_organizations(
        organizations,
        user=user,
        reason=_("Published") if published else _("Unpublished"),
        is_published=published,
    )


@dataclass(frozen=True)
class StatusChange:
    """What setting a status did: ``changed`` rows; ``decided``: left as they were, since
    their public events decide their status (``directory.events``)."""

    changed: int
    decided: list[Organization]


def organization_set_status(
    *, organizations: Iterable[Organization], user, status: str
) -> StatusChange:
    """Set the status (one of ``Organization.Status``) where no public event decides it."""
    label = Organization.Status(status).label
    organizations = list(organizations)
    decided = set(
        Organization.objects.filter(pk__in=[org.pk for org in organizations])
        .filter(events.status_decided())
        .values_list("pk", flat=True)
    )
    changed = _update_organizations(
        (org for org in organizations if org.pk not in decided),
        user=user,
        reason=_("Status set to “%(status)s”") % {"status": label},
        status=status,
    )
    return StatusChange(changed, [org for org in organizations if org.pk in decided])


def organization_restore_related(*, organization: Organization, version, user) -> int:
    """After restoring ``version`` of an organization, bring back what went with it.

    If the organization was deleted after that version, the phones and people's
    roles that its deletion took (their own history shows them deleted within a
    minute before it) come back; its types of work, partners and sources become those of
    the version (those that no longer exist excepted).
    Returns the number of rows restored.
    """
    restored = 0
    reason = _("Restored from history")
    with transaction.atomic():
        deletion = (
            organization.history.filter(history_type="-", history_date__gt=version.history_date)
            .order_by("-history_date")
            .first()
        )
        if deletion is not None:
            window = (deletion.history_date - datetime.timedelta(minutes=1), deletion.history_date)
            for model in (Phone, Affiliation, OrganizationEvent):
                gone = model.history.filter(
                    organization_id=organization.pk, history_type="-", history_date__range=window
                )
                for record in gone:
                    old = record.instance
                    if model.objects.filter(pk=old.pk).exists():
                        continue
                    if (
                        model is Affiliation
                        and not Person.objects.filter(pk=old.person_id).exists()
                    ):
                        continue
                    _record(old, user=user, reason=reason)
                    old.save(force_insert=True)
                    if model is OrganizationEvent:
                        event_restore_sources(event=old, version=record, user=user)
                    restored += 1
            restored += _restore_practice_links(organization, deletion=deletion, user=user)
        restored += _restore_links(
            organization,
            version,
            (
                ("activities", "activitytype_id", ActivityType),
                ("partners", "to_organization_id", Organization),
                ("sources", "source_id", Source),
            ),
            user=user,
            reason=reason,
        )
    return restored


def _restore_links(instance, version, relations, *, user, reason: str) -> int:
    """Give ``instance`` the many-to-many links of its historical ``version``, for each
    ``(relation, column of the historical link table, model)``; a row deleted since that
    version cannot come back as a link. Returns how many links changed."""
    changed = 0
    for relation, column, model in relations:
        wanted = set(getattr(version, relation).values_list(column, flat=True))
        wanted = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        manager = getattr(instance, relation)
        current = set(manager.values_list("pk", flat=True))
        if wanted != current:
            _record(instance, user=user, reason=reason)
            manager.set(model.objects.filter(pk__in=wanted))
            changed += len(wanted ^ current)
    return changed


def _restore_practice_links(organization: Organization, *, deletion, user) -> int:
    """Link ``organization`` again to the practices whose last version before its
    ``deletion`` named it."""
    restored = 0
    links = Practice.history.model.organizations.model.objects
    named = links.filter(organization_id=organization.pk).values("practice_id")
    for practice in Practice.objects.filter(pk__in=named):
        before = practice.history.filter(history_date__lt=deletion.history_date).first()
        if before is None or not before.organizations.filter(organization_id=organization.pk):
            continue
        if practice.organizations.filter(pk=organization.pk).exists():
            continue
        _record(practice, user=user, reason=_("Restored from history"))
        practice.organizations.add(organization)
        restored += 1
    return restored


def event_restore_sources(*, event: OrganizationEvent, version, user) -> int:
    """Give ``event`` the sources it had in its historical ``version`` (those that still
    exist): restoring a version brings back the row, not its links. For a deletion,
    the sources it had just before. Returns how many links changed."""
    if version.history_type == "-":
        # Its links were gone by the time the deletion was recorded.
        version = (
            event.history.filter(history_date__lte=version.history_date)
            .exclude(history_type="-")
            .first()
        )
        if version is None:
            return 0
    wanted = set(
        Source.objects.filter(
            pk__in=list(version.sources.values_list("source_id", flat=True))
        ).values_list("pk", flat=True)
    )
    current = set(event.sources.values_list("pk", flat=True))
    if wanted != current:
        _record(event, user=user, reason=_("Restored from history"))
        event.sources.set(Source.objects.filter(pk__in=wanted))
    return len(wanted ^ current)


def practice_record_links(
    *, practices: Iterable[Practice], user, organization: Organization, deleted: bool = False
) -> int:
    """Record a version of each practice whose organizations were changed on
    ``organization``'s page, or lost it when it was ``deleted``: links written from that
    side send no signal the practice's history hears. Returns how many were recorded."""
    recorded = 0
    if deleted:
        reason = _("Organization “%(organization)s” deleted") % {"organization": organization}
    else:
        reason = _("Organizations changed on the page of “%(organization)s”") % {
            "organization": organization
        }
    with transaction.atomic():
        for practice in practices:
            _record(practice, user=user, reason=reason)
            practice.save(update_fields=["updated_at"])
            recorded += 1
    return recorded


def practice_restore_links(*, practice: Practice, version, user) -> int:
    """Give ``practice`` the organizations, types of work, regions and sources of its
    historical ``version`` (those that still exist): restoring a version brings back the
    row, not its links. Returns how many links changed."""
    with transaction.atomic():
        return _restore_links(
            practice,
            version,
            (
                ("organizations", "organization_id", Organization),
                ("activities", "activitytype_id", ActivityType),
                ("regions", "region_id", Region),
                ("sources", "source_id", Source),
            ),
            user=user,
            reason=_("Restored from history"),
        )


# Bulk import of organizations from the export's CSV (see directory/importing.py).

_WRITABLE_COLUMNS = tuple(
    key for key in columns.COLUMNS if key not in columns.READ_ONLY_COLUMNS and key != "id"
)


def organization_import(
    *,
    table: CsvTable,
    user,
    dry_run: bool,
    reason: str = "",
    expected_fingerprint: str | None = None,
    progress=None,
) -> ImportReport:
    """Create or update the organizations of ``table``: every row, or none.

    Rows are matched by ``id``, else by ``slug`` (or the slug in ``url``); other
    rows create drafts. Only cells that differ from what the export would write
    now are applied, so a re-imported export changes nothing; a differing cell of a
    column the import never writes (``importing.NOT_IMPORTED``) is a warning. Each
    problem is reported with its row and column. A dry run writes inside a transaction and
    rolls it back, so the preview sees exactly what the real run would do; the
    real run rolls back too when any row has a problem or when the result no
    longer matches ``expected_fingerprint`` (the data changed since the preview).
    """
    report = ImportReport(
        lang=table.lang, problems=list(table.problems), warnings=list(table.warnings)
    )
    if report.problems:
        return report
    reason = reason or _("CSV import")
    vocabulary = importing.Vocabulary()
    context = columns.ExportContext(lang=table.lang, public=False)
    context._regions = {region.pk: region for region in vocabulary.all_regions}
    by_id, by_slug = _organizations_in(table)
    seen: dict[int, int] = {}
    with transaction.atomic():
        for number, cells in table.records:
            result, problems = _import_row(
                number, cells, table=table, vocabulary=vocabulary, context=context,
                by_id=by_id, by_slug=by_slug, seen=seen, user=user, reason=reason,
                warnings=report.warnings,
            )  # fmt: skip
            report.problems.extend(problems)
            if result is not None:
                report.rows.append(result)
            if progress is not None:
                progress(1)
        if expected_fingerprint is not None and report.fingerprint() != expected_fingerprint:
            report.stale = True
        if dry_run or report.problems or report.stale:
            transaction.set_rollback(True)
        else:
            report.written = True
    return report


def _organizations_in(table: CsvTable) -> tuple[dict[int, Organization], dict[str, Organization]]:
    ids, slugs = set(), set()
    for _number, cells in table.records:
        raw_id = importing.clean_cell(cells.get("id", ""))
        if raw_id.isdigit():
            ids.add(int(raw_id))
        slug = importing.clean_cell(cells.get("slug", "")) or importing.slug_from_url(
            cells.get("url", "")
        )
        if slug:
            slugs.add(slug)
    found = columns.export_queryset(
        Organization.objects.filter(models.Q(pk__in=ids) | models.Q(slug__in=slugs))
    )
    by_id = {org.pk: org for org in found}
    return by_id, {org.slug: org for org in by_id.values()}


def _import_row(
    number, cells, *, table, vocabulary, context, by_id, by_slug, seen, user, reason, warnings
) -> tuple[RowResult | None, list[Problem]]:
    problems: list[Problem] = []
    lang = table.lang

    def problem(key: str, message: str) -> None:
        problems.append(Problem(number, table.titles.get(key, key), message))

    raw_id = importing.clean_cell(cells.get("id", ""))
    slug = importing.clean_cell(cells.get("slug", "")) or importing.slug_from_url(
        cells.get("url", "")
    )
    organization = None
    if raw_id:
        if not raw_id.isdigit():
            problem("id", _("The id “%(id)s” is not a number.") % {"id": raw_id})
        else:
            organization = by_id.get(int(raw_id))
            if organization is None:
                problem("id", _("No organization has the id %(id)s.") % {"id": raw_id})
    elif slug:
        organization = by_slug.get(slug)
    if problems:
        return None, problems

    if organization is not None:
        if organization.pk in seen:
            problem(
                "id" if raw_id else "url",
                _("This organization is also in row %(row)s.") % {"row": seen[organization.pk]},
            )
            return None, problems
        seen[organization.pk] = number
        current = columns.organization_row(organization, context)
    else:
        current = None
        organization = Organization(is_published=False)
        if slug:
            organization.slug = slug

    for key, why in importing.NOT_IMPORTED.items():
        if key not in cells:
            continue
        text = importing.clean_cell(cells[key])
        old = cell_text(current[key]) if current is not None else ""
        if importing.normalise_for_compare(key, text) != importing.normalise_for_compare(key, old):
            warnings.append(Problem(number, table.titles.get(key, key), str(why)))

    changes: list[FieldChange] = []
    changed: set[str] = set()
    related: dict[str, list] = {}
    keys = list(_WRITABLE_COLUMNS)
    if "name" in cells and f"name_{lang}" not in cells:
        keys.insert(0, "name")
    for key in keys:
        if key not in cells:
            continue
        text = importing.clean_cell(cells[key])
        old = cell_text(current[key]) if current is not None else ""
        if importing.normalise_for_compare(key, text) == importing.normalise_for_compare(key, old):
            continue
        if (
            current is not None
            and not organization.contacts_public
            and key in columns.RESTRICTED_COLUMNS
            and not text
        ):
            # A public export leaves restricted contacts empty: that is no request to erase them.
            continue
        try:
            _apply_cell(
                organization,
                key,
                text,
                cells=cells,
                lang=lang,
                vocabulary=vocabulary,
                related=related,
            )
        except ValidationError as error:
            problem(key, " ".join(error.messages))
            continue
        changes.append(FieldChange(table.titles.get(key, key), old, text))
        changed.add(key)

    if current is None and not (organization.name_ru or organization.name_en):
        problem("name", _("The name is missing: fill in name_ru or name_en."))
    if problems:
        return None, problems[: importing.MAX_PROBLEMS_PER_ROW]

    name = in_language(organization, "name", lang)[0]
    if current is not None and not changes:
        return RowResult(number, RowResult.UNCHANGED, name, organization.pk), []

    try:
        # The cells were already checked against the same rules as the check
        # constraints (kinds, statuses, years), which the database enforces anyway;
        # Django's Python-side constraint check would cost more than the rest of the row.
        organization.full_clean(validate_constraints=False)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            key = field_name if field_name in columns.COLUMNS else ""
            problem(key, " ".join(messages))
        return None, problems

    try:
        with transaction.atomic():
            _record(organization, user=user, reason=reason)
            organization.save()
            if "activities" in related:
                organization.activities.set(related["activities"])
            for key in ("phones", "fax"):
                if key in related:
                    _replace_numbers(organization, key, related[key], user=user, reason=reason)
    except DatabaseError as error:
        problem("", _("The database refused this row: %(error)s") % {"error": error})
        return None, problems

    action = RowResult.CREATE if current is None else RowResult.UPDATE
    return RowResult(number, action, name, organization.pk, changes), []


def _apply_cell(organization, key, text, *, cells, lang, vocabulary, related) -> None:
    if key == "name":
        setattr(organization, f"name_{lang}", text)
    elif key in ("name_ru", "name_en", "postal_code"):
        setattr(organization, key, text)
    elif key in ("city", "address"):
        setattr(organization, f"{key}_{lang}", text)
    elif key == "kind":
        organization.kind = vocabulary.choice(text, vocabulary.kinds, Organization.Kind)
    elif key == "status":
        status = vocabulary.choice(text, vocabulary.statuses, Organization.Status)
        deciding = events.deciding_event(organization.events.all()) if organization.pk else None
        if deciding is not None and status != organization.status:
            raise ValidationError(
                _(
                    "The status follows the organization's public event “%(event)s” "
                    "(%(date)s): change the events in the admin."
                )
                % {"event": deciding.get_kind_display(), "date": deciding.when.display()}
            )
        organization.status = status
    elif key == "region":
        path = importing.clean_cell(cells.get("region_path", ""))
        organization.region = vocabulary.region(text, path)
    elif key == "email":
        organization.email = importing.parse_email(text)
    elif key == "website":
        organization.website = importing.parse_website(text)
    elif key == "founded":
        organization.founded = importing.parse_year(text)
    elif key == "last_verified":
        organization.last_verified = importing.parse_date(text)
    elif key == "contacts_as_of":
        when = importing.parse_partial_date(text)
        organization.contacts_as_of = when.date if when else None
        organization.contacts_as_of_precision = when.precision.value if when else ""
    elif key in ("phones", "fax"):
        related[key] = importing.parse_numbers(text)
    elif key == "activities":
        related[key] = vocabulary.activity_list(text)


def _replace_numbers(organization, key, numbers, *, user, reason) -> None:
    """Keep the phones still listed (with their kind and note), drop the rest, add new ones."""
    is_fax = key == "fax"
    wanted = list(numbers)
    for phone in list(organization.phones.all()):
        if (phone.kind == Phone.Kind.FAX) != is_fax:
            continue
        if phone.number in wanted:
            wanted.remove(phone.number)
        else:
            _record(phone, user=user, reason=reason)
            phone.delete()
    for number in wanted:
        phone = Phone(
            organization=organization,
            number=number,
            kind=Phone.Kind.FAX if is_fax else Phone.Kind.TEL,
        )
        phone.full_clean()
        _record(phone, user=user, reason=reason)
        phone.save()


# Corrections and new entries from the public (``directory.Submission``).


def submission_create(
    *,
    kind: str,
    organization: Organization | None,
    data: dict,
    source_note: str,
    submitter_name: str = "",
    submitter_email: str = "",
    language: str,
) -> Submission:
    """Store a suggestion from the public as pending; nothing public changes."""
    submission = Submission(
        kind=kind,
        organization=organization,
        data=data,
        source_note=source_note,
        submitter_name=submitter_name,
        submitter_email=submitter_email,
        language=language,
    )
    submission.full_clean()
    submission.save()
    return submission


def submission_reason(submission: Submission) -> str:
    """The change reason that the organization's history shows, in both languages."""
    texts = []
    for language in ("ru", "en"):
        with translation.override(language):
            texts.append(_("Public submission #%(number)s") % {"number": submission.pk})
    return " / ".join(texts)


def _pending(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.PENDING:
        raise ValidationError(
            _("This submission was already decided (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def submission_accept(*, submission: Submission, user, values: dict | None = None) -> Organization:
    """Apply a submission: its proposed values, or the editor's ``values`` (every field
    of ``suggestions.SUGGESTED_FIELDS``, as edited), in one transaction.

    A correction changes the organization; a new organization is created unpublished,
    for an editor to check and publish. The organization's history records the change
    as "Public submission #N". Raises ``ValidationError`` (nothing written) when a
    value is refused.
    """
    with transaction.atomic():
        locked = _pending(submission)
        if locked.kind == Submission.Kind.CORRECTION:
            if locked.organization is None:
                raise ValidationError(_("The organization of this correction no longer exists."))
            organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
            current = suggestions.current_values(organization)
            if values is None:
                values = locked.data
            values = suggestions.differences(values, current)
        else:
            organization = Organization(is_published=False)
            if values is None:
                values = locked.data
            values = {
                key: value
                for key, value in values.items()
                if key in suggestions.SUGGESTED_FIELDS and value not in ("", [], None)
            }
            if not (values.get("name_ru") or values.get("name_en")):
                raise ValidationError(_("A new organization needs a name."))
        reason = submission_reason(locked)
        related = _apply_suggestion(organization, values)
        try:
            organization.full_clean()
        except ValidationError as error:
            raise ValidationError(_describe(error)) from None
        _record(organization, user=user, reason=reason)
        organization.save()
        if "activities" in related:
            _record(organization, user=user, reason=reason)
            organization.activities.set(related["activities"])
        if "phones" in related:
            try:
                _replace_numbers(
                    organization, "phones", related["phones"], user=user, reason=reason
                )
            except ValidationError as error:
                raise ValidationError(_describe(error)) from None
        locked.status = Submission.Status.ACCEPTED
        locked.organization = organization
        locked.data = values
        locked.decided_by = user
        locked.decided_at = timezone.now()
        _record(locked, user=user, reason=_("Accepted"))
        locked.save()
    submission.refresh_from_db()
    return organization


def _describe(error: ValidationError) -> str:
    """A validation error as one line, each message after its field's label."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = suggestions.SUGGESTED_FIELDS.get(name)
        if label is None and name in {f.name for f in Organization._meta.fields}:
            label = Organization._meta.get_field(name).verbose_name
        text = " ".join(messages)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _apply_suggestion(organization: Organization, values: dict) -> dict:
    """Set the proposed ``values`` on ``organization`` (unsaved); returns the related
    values (types of work, phones) to write after it is saved."""
    related = {}
    for key, value in values.items():
        if key == "region":
            region = Region.objects.filter(slug=value).first() if value else None
            if value and region is None:
                raise ValidationError(
                    _("There is no region “%(slug)s” (any more).") % {"slug": value}
                )
            organization.region = region
        elif key == "activities":
            wanted = list(dict.fromkeys(value))
            found = list(ActivityType.objects.filter(slug__in=wanted))
            missing = set(wanted) - {activity.slug for activity in found}
            if missing:
                raise ValidationError(
                    _("There is no type of work “%(slug)s” (any more).")
                    % {"slug": ", ".join(sorted(missing))}
                )
            related[key] = found
        elif key == "phones":
            related[key] = list(value)
        elif key in suggestions.SUGGESTED_FIELDS:
            setattr(organization, key, value if value is not None else "")
    return related


def submission_reject(*, submission: Submission, user, reason: str) -> None:
    """Reject a submission; the reason (required) is for staff."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for rejecting."))
    with transaction.atomic():
        locked = _pending(submission)
        locked.status = Submission.Status.REJECTED
        locked.reason = reason
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.full_clean()
        _record(locked, user=user, reason=_("Rejected"))
        locked.save()
    submission.refresh_from_db()


def submission_send_note(*, submission: Submission, page_url: str = "") -> bool:
    """Tell the submitter (if they left an email) that their suggestion was accepted,
    in the language they wrote in. Returns whether a note was sent; a mail server's
    refusal raises (``smtplib.SMTPException`` or ``OSError``)."""
    if not submission.submitter_email:
        return False
    with translation.override(submission.language or "ru"):
        if submission.kind == Submission.Kind.CORRECTION:
            subject = _("Your correction to rightsnet was accepted")
            body = _("Thank you. The editors of rightsnet checked your correction and applied it.")
        else:
            subject = _("Your suggestion to rightsnet was accepted")
            body = _(
                "Thank you. The editors of rightsnet checked the organization you suggested "
                "and added it to the directory; it will be published once they have "
                "reviewed the entry."
            )
        if page_url:
            body += "\n\n" + page_url
        send_mail(subject, body + "\n", None, [submission.submitter_email], fail_silently=False)
    return True

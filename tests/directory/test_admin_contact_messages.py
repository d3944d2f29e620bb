"""The log of messages to organizations in the admin: read-only for everyone, filtered by
outcome and date, searched by the organization's name; never a message or an address."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from directory.models import ContactMessage
from tests.factories import OrganizationFactory
from tests.html import page
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:directory_contactmessage_changelist"
SENDER = "5f2b" + "a1" * 30  # a hash, 64 hex digits


def url(name: str, *args) -> str:
    return reverse(f"admin:directory_contactmessage_{name}", args=args)


def message(organization, outcome="delivered", *, days_ago=0, sender=SENDER, **fields):
    row = ContactMessage.objects.create(
        organization=organization, outcome=outcome, sender_hash=sender, language="ru", **fields
    )
    # The time is set by the database on insert; a row from the past is moved there.
    when = timezone.now() - datetime.timedelta(days=days_ago)
    ContactMessage.objects.filter(pk=row.pk).update(created_at=when)
    row.refresh_from_db()
    return row


@pytest.fixture
def log():
    perm = OrganizationFactory(name_ru="Пермский «Мемориал»", name_en="Perm Memorial")
    kazan = OrganizationFactory(name_ru="Казанский центр", name_en="Kazan Centre")
    return {
        "delivered": message(perm),
        "failed": message(
            perm, "failed", days_ago=3, reason="SMTP: connection refused", sender="0" * 64
        ),
        "refused": message(kazan, "refused", days_ago=40, reason="limit: ip"),
    }


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def listed(client, **query) -> list[int]:
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].result_list)


def test_an_editor_reads_the_log(client, editor, log):
    html = page(client.get(reverse(CHANGELIST)))

    rows = html.find("table", id="result_list").find("tbody").find_all("tr")
    assert len(rows) == 3
    first, _second, last = (row.text for row in rows)  # newest first
    assert "Пермский «Мемориал»" in first and "передано почтовому серверу" in first
    assert "Казанский центр" in last and "limit: ip" in last
    senders = html.find_all("td", class_="field-sender")
    assert senders[0].find("a").text == SENDER[:12] + "…"
    assert senders[0].find("a")["href"] == f"?sender_hash={SENDER}"
    assert not html.find_all("a", href=url("add"))


def test_the_log_filters_by_outcome_date_and_sender_and_searches_by_name(client, editor, log):
    assert listed(client, outcome__exact="failed") == [log["failed"].pk]
    # As the filter's "Past 7 days" link writes it: an aware time.
    week_ago = str(timezone.now() - datetime.timedelta(days=7))
    assert listed(client, created_at__gte=week_ago) == sorted(
        [log["delivered"].pk, log["failed"].pk]
    )
    assert listed(client, sender_hash=SENDER) == sorted([log["delivered"].pk, log["refused"].pk])
    assert listed(client, q="kazan") == [log["refused"].pk]
    assert listed(client, q="Мемориал") == sorted([log["delivered"].pk, log["failed"].pk])


def test_no_one_adds_or_changes_a_log_row(client, log):
    row = log["failed"]
    for user in (
        staff_user("editor", group="Editors"),
        staff_user("root", superuser=True),
    ):
        client.force_login(user)
        shown = client.get(url("change", row.pk))
        assert shown.status_code == 200
        html = shown.content.decode()
        assert "SMTP: connection refused" in html
        assert 'name="_save"' not in html and 'name="reason"' not in html
        assert client.get(url("add")).status_code == 403
        assert client.post(url("add"), {"outcome": "delivered"}).status_code == 403
        assert client.post(url("change", row.pk), {"reason": "edited"}).status_code == 403
    assert ContactMessage.objects.get(pk=row.pk).reason == "SMTP: connection refused"
    assert ContactMessage.objects.count() == 3


def test_editors_only_view_and_viewers_do_not_see_the_log(client, log):
    editor = staff_user("editor", group="Editors")
    viewer = staff_user("viewer", group="Viewers")
    for action in ("add", "change", "delete"):
        assert not editor.has_perm(f"directory.{action}_contactmessage")
    assert editor.has_perm("directory.view_contactmessage")
    assert not viewer.has_perm("directory.view_contactmessage")
    assert (
        not Group.objects.get(name="Viewers")
        .permissions.filter(codename="view_contactmessage")
        .exists()
    )

    client.force_login(editor)
    assert client.post(url("delete", log["failed"].pk), {"post": "yes"}).status_code == 403
    client.force_login(viewer)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(url("change", log["failed"].pk)).status_code == 403
    assert ContactMessage.objects.count() == 3


def test_the_list_costs_the_same_number_of_queries_for_any_number_of_rows(client, editor, log):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(captured)

    few = count_queries()
    for _ in range(10):
        message(OrganizationFactory())
    assert count_queries() == few

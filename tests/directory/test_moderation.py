"""Moderation of the public's submissions in the admin: queue, comparison, accept, reject."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from directory.models import Organization, Region, Submission
from directory.services import submission_reason
from tests.factories import OrganizationFactory
from tests.html import page
from tests.staff import snapshot, staff_user

pytestmark = pytest.mark.django_db


def correction(org, **data) -> Submission:
    return Submission.objects.create(
        kind="correction", organization=org, data=data, source_note="I work there",
        language="ru",
    )  # fmt: skip


def new(**data) -> Submission:
    return Submission.objects.create(
        kind="new", data=data, source_note="A newspaper", language="en"
    )


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:directory_submission_{name}", args=args)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def editor(client):
    user = staff_user("editor", group="Editors")
    client.force_login(user)
    return user


def test_the_queue_shows_pending_submissions_by_default(client, world, editor):
    pending = correction(world.org, city_ru="Москва")
    done = correction(world.org, city_ru="Тверь")
    done.status = "accepted"
    done.save()
    added = new(name_en="Tver Rights Watch")

    def listed(query=""):
        response = client.get(admin_url("changelist") + query)
        assert response.status_code == 200
        return {obj.pk for obj in response.context["cl"].result_list}

    assert listed() == {pending.pk, added.pk}
    assert listed("?status=accepted") == {done.pk}
    assert listed("?status=all") == {pending.pk, done.pk, added.pk}
    assert listed("?kind__exact=new") == {added.pk}
    assert listed("?status=nonsense") == set()
    assert listed("?status=%00") == {pending.pk, added.pk}


def test_viewers_and_staff_without_a_role_cannot_see_submissions(client, world):
    submission = correction(world.org, city_ru="Москва")
    for user in (staff_user("viewer", group="Viewers"), staff_user("nobody")):
        client.force_login(user)
        assert client.get(admin_url("changelist")).status_code == 403
        assert client.get(admin_url("change", submission.pk)).status_code == 403
        assert client.post(admin_url("accept", submission.pk)).status_code == 403
        assert client.post(admin_url("reject", submission.pk), {"reason": "x"}).status_code == 403
        assert client.get(admin_url("edit", submission.pk)).status_code == 403
        assert "submission" not in client.get(reverse("admin:index")).content.decode()
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_a_correction_is_compared_field_by_field(client, world, editor):
    submission = correction(
        world.org, city_ru="Москва", phones=["+7 095 206-81-71"], activities=[world.legal.slug]
    )
    response = client.get(admin_url("change", submission.pk))
    table = page(response).find("table", id="submission-comparison")
    rows = {row["data-field"]: row for row in table.find("tbody").find_all("tr")}
    assert set(rows) >= {"name_ru", "city_ru", "phones", "activities", "email"}
    changed = {key for key, row in rows.items() if "changed" in row["class"].split()}
    assert changed == {"city_ru", "phones", "activities"}
    city = rows["city_ru"]
    assert city.find("td", class_="current").text == "Подольск"
    assert city.find("td", class_="proposed").text == "Москва"
    assert rows["activities"].find("td", class_="current").text == "Мониторинг, Правовая защита"
    assert rows["activities"].find("td", class_="proposed").text == "Правовая защита"
    assert rows["email"].find("td", class_="proposed").text == "без изменений"
    actions = page(response).find("div", id="submission-actions")
    assert actions.find("input", name="accept") is not None
    assert actions.find("textarea", name="reason") is not None
    # No save buttons: the submission itself is not edited.
    assert 'name="_save"' not in response.content.decode()


def test_a_new_organization_warns_of_likely_duplicates(client, world, editor):
    submission = new(name_en="Moscow Helsinki Groupp", city_en="Podolsk", kind="group")
    response = client.get(admin_url("change", submission.pk))
    warning = page(response).find("ul", id="submission-duplicates")
    link = warning.find("a")
    assert link["href"] == reverse("admin:directory_organization_change", args=[world.org.pk])
    unrelated = new(name_en="Tver Rights Watch", city_en="Tver")
    response = client.get(admin_url("change", unrelated.pk))
    assert 'id="submission-duplicates"' not in response.content.decode()


def test_accepting_a_correction_changes_the_entry_with_its_origin_in_history(client, world, editor):
    with translation.override("en"):
        public = world.org.get_absolute_url()
    assert "Moscow City" not in client.get(public).content.decode()  # cached now
    submission = correction(
        world.org, city_en="Moscow City", phones=["+7 095 206-81-71", "+7 495 111-11-11"],
        activities=[world.legal.slug],
    )  # fmt: skip
    response = client.post(admin_url("accept", submission.pk))
    assert response.status_code == 302
    assert response["Location"] == admin_url("changelist")
    assert any("Принято: запись «" in text for text in texts(response))

    world.org.refresh_from_db()
    assert world.org.city_en == "Moscow City"
    assert world.org.city_ru == "Подольск"
    assert sorted(world.org.phones.values_list("number", "kind")) == [
        ("+7 095 206-81-71", "tel"), ("+7 095 921-12-09", "fax"), ("+7 495 111-11-11", "tel"),
    ]  # fmt: skip
    assert [a.slug for a in world.org.activities.all()] == [world.legal.slug]
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by) == ("accepted", editor)
    assert submission.decided_at is not None
    reason = world.org.history.first().history_change_reason
    assert reason == (
        f"Предложение читателя № {submission.pk} / Public submission #{submission.pk}"
    )
    assert reason == submission_reason(submission)

    assert "Moscow City" in client.get(public).content.decode()
    history = client.get(
        reverse("admin:directory_organization_history", args=[world.org.pk])
    ).content.decode()
    assert f"Public submission #{submission.pk}" in history
    assert f"Предложение читателя № {submission.pk}" in history


def test_accepting_a_new_organization_creates_it_unpublished(client, world, editor):
    submission = new(
        name_en="Tver Rights Watch", kind="ngo", region=world.moscow_oblast.slug,
        city_en="Tver", activities=[world.monitoring.slug], phones=["+7 000 111"],
        email="watch@example.org", website="https://tver.example.org",
        description_en="Monitors prisons.",
    )  # fmt: skip
    response = client.post(admin_url("accept", submission.pk))
    assert response.status_code == 302
    assert any("создана неопубликованной" in text for text in texts(response))
    org = Organization.objects.get(name_en="Tver Rights Watch")
    assert not org.is_published
    assert (org.kind, org.region, org.city_en, org.email) == (
        "ngo", world.moscow_oblast, "Tver", "watch@example.org",
    )  # fmt: skip
    assert list(org.phones.values_list("number", flat=True)) == ["+7 000 111"]
    assert list(org.activities.all()) == [world.monitoring]
    assert org.history.last().history_change_reason == submission_reason(submission)
    submission.refresh_from_db()
    assert submission.organization == org and submission.status == "accepted"
    with translation.override("en"):
        assert client.get(org.get_absolute_url()).status_code == 404


def test_edit_and_accept(client, world, editor):
    submission = correction(world.org, city_ru="Масква", description_ru="Новое описание.")
    form = client.get(admin_url("edit", submission.pk))
    assert form.status_code == 200
    fields = form.context["form"].initial
    assert fields["city_ru"] == "Масква"  # the proposal over the entry
    assert fields["name_en"] == "Moscow Helsinki Group"
    data = {key: value for key, value in fields.items() if value not in (None, "", [])}
    data.update(city_ru="Москва", activities=[world.legal.slug, world.monitoring.slug])
    response = client.post(admin_url("edit", submission.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    world.org.refresh_from_db()
    assert (world.org.city_ru, world.org.description_ru) == ("Москва", "Новое описание.")
    assert world.org.email == "mhg@example.org"
    submission.refresh_from_db()
    assert submission.data == {"city_ru": "Москва", "description_ru": "Новое описание."}
    # The submitter's own words stay in the submission's history.
    assert submission.history.last().data["city_ru"] == "Масква"


def test_edit_and_accept_with_a_bad_value_shows_the_form_again(client, world, editor):
    submission = correction(world.org, city_ru="Москва")
    before = snapshot()
    data = dict(client.get(admin_url("edit", submission.pk)).context["form"].initial)
    data = {key: value for key, value in data.items() if value not in (None, "", [])}
    data.update(email="not an email", website="javascript:alert(1)")
    response = client.post(admin_url("edit", submission.pk), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "website"}
    assert snapshot() == before
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_reject_needs_a_reason(client, world, editor):
    submission = correction(world.org, city_ru="Москва")
    response = client.post(admin_url("reject", submission.pk), {"reason": "  "})
    assert response["Location"] == admin_url("change", submission.pk)
    assert texts(response) == ["Не отклонено: Укажите причину отказа."]
    submission.refresh_from_db()
    assert submission.status == "pending"
    response = client.post(admin_url("reject", submission.pk), {"reason": "No source."})
    submission.refresh_from_db()
    assert (submission.status, submission.reason, submission.decided_by) == (
        "rejected", "No source.", editor,
    )  # fmt: skip
    world.org.refresh_from_db()
    assert world.org.city_ru == "Подольск"
    # Decided: no more buttons, and a second decision is refused.
    page_after = client.get(admin_url("change", submission.pk))
    assert 'id="submission-actions"' not in page_after.content.decode()
    again = client.post(admin_url("accept", submission.pk))
    assert any("уже есть решение" in text for text in texts(again))


@pytest.mark.parametrize(
    "data",
    [
        {"city_ru": "Москва", "region": "no-such-region"},
        {"city_ru": "Москва", "activities": ["no-such-work"]},
        {"city_ru": "Москва", "name_en": "x" * 400},
        {"city_ru": "Москва", "email": "not an email"},
        {"city_ru": "Москва", "kind": "spies"},
        {"city_ru": "Москва", "phones": ["+7" * 30]},
    ],
    ids=["region", "activity", "name", "email", "kind", "phone"],
)
def test_a_failed_accept_changes_nothing(client, world, editor, data):
    submission = correction(world.org, **data)
    before = snapshot()
    response = client.post(admin_url("accept", submission.pk))
    assert response["Location"] == admin_url("change", submission.pk)
    [message] = texts(response)
    assert message.startswith("Не принято, ничего не изменено: ")
    assert snapshot() == before
    submission.refresh_from_db()
    assert submission.status == "pending" and submission.decided_by is None


def test_a_new_organization_whose_region_was_deleted(client, world, editor):
    region = Region.objects.create(name_en="Gone", name_ru="Нет", kind="city")
    submission = new(name_en="Group", city_en="X", region=region.slug)
    region.delete()
    before = snapshot()
    response = client.post(admin_url("accept", submission.pk))
    assert "Региона «" in texts(response)[0]
    assert snapshot() == before


def test_the_submitter_gets_a_note_in_their_language(client, world, editor, smtp_inbox):
    submission = correction(world.org, city_ru="Москва")
    submission.submitter_email = "reader@example.org"
    submission.save()
    response = client.post(admin_url("accept", submission.pk))
    assert "Автору отправлено письмо на адрес reader@example.org." in texts(response)
    [message] = smtp_inbox.messages
    assert message["To"] == "reader@example.org"
    assert message["Subject"].strip() == "Ваше исправление для rightsnet принято"
    body = message.get_content()
    assert "Редакция rightsnet проверила ваше исправление" in body
    assert f"http://testserver/ru/organizations/{world.org.slug}/" in body

    english = new(name_en="Tver Rights Watch")
    english.submitter_email = "writer@example.org"
    english.save()
    client.post(admin_url("accept", english.pk))
    assert smtp_inbox.messages[1]["Subject"].strip() == "Your suggestion to rightsnet was accepted"
    assert "/organizations/" not in smtp_inbox.messages[1].get_content()  # unpublished


def test_no_email_no_note(client, world, editor, smtp_inbox):
    submission = correction(world.org, city_ru="Москва")
    client.post(admin_url("accept", submission.pk))
    assert smtp_inbox.messages == []


def test_a_mail_server_down_does_not_undo_the_acceptance(client, world, editor, smtp_down):
    submission = correction(world.org, city_ru="Москва")
    submission.submitter_email = "reader@example.org"
    submission.save()
    response = client.post(admin_url("accept", submission.pk))
    messages = list(get_messages(response.wsgi_request))
    warning = [m for m in messages if m.level_tag == "warning"]
    assert len(warning) == 1
    assert "Не удалось отправить письмо автору (reader@example.org)" in str(warning[0])
    assert "Предложение остаётся принятым." in str(warning[0])
    submission.refresh_from_db()
    world.org.refresh_from_db()
    assert submission.status == "accepted" and world.org.city_ru == "Москва"


@pytest.mark.parametrize("view", ["change", "accept", "edit", "reject", "history"])
def test_odd_ids_are_not_found(client, world, editor, view):
    for object_id in ("999999", "abc", "1%00"):
        url = reverse("admin:directory_submission_changelist") + (
            f"{object_id}/{'change' if view == 'change' else view}/"
        )
        response = client.post(url) if view in ("accept", "reject") else client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)


def test_a_get_to_accept_changes_nothing(client, world, editor):
    submission = correction(world.org, city_ru="Москва")
    response = client.get(admin_url("accept", submission.pk))
    assert response["Location"] == admin_url("change", submission.pk)
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_no_one_adds_a_submission_in_the_admin(client, world):
    client.force_login(staff_user("boss", superuser=True))
    assert client.get(admin_url("add")).status_code == 403


def test_an_unpublished_new_organization_is_not_a_duplicate_blocker(client, world, editor):
    """The duplicate warning never refuses: accepting still works."""
    OrganizationFactory(name_en="Tver Rights Watch", city_en="Tver")
    submission = new(name_en="Tver Rights Watch", city_en="Tver")
    assert client.get(admin_url("change", submission.pk)).status_code == 200
    client.post(admin_url("accept", submission.pk))
    assert Organization.objects.filter(name_en="Tver Rights Watch").count() == 2

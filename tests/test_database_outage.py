"""A database outage answers 503 with Retry-After and the bilingual page, not 500.

The end-to-end test starts its own PostgreSQL cluster and a production gunicorn
against it, stops the cluster the hard way, and starts it again; it runs the same
whichever database the rest of the suite uses.
"""

import dj_database_url
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler
from django.urls import path

from rightsnet.urls import urlpatterns as site_urlpatterns
from tests.servers import AppServer, Browser, PostgresCluster, free_port, manage, production_env

RUSSIAN = "Справочник сейчас не может обратиться к своей базе данных"
ENGLISH = "The directory cannot reach its database right now"


def assert_outage_page(response, language: str):
    assert response.status == 503, f"expected 503, got {response.status}: {response.text[:300]}"
    assert response.header("Retry-After") and response.header("Retry-After").isdigit()
    assert RUSSIAN in response.text and ENGLISH in response.text
    assert f'<html lang="{language}">' in response.text
    assert "Traceback" not in response.text


def test_stopping_the_database_gives_503_then_the_site_comes_back(static_root, tmp_path):
    with PostgresCluster() as cluster:
        env = production_env(cluster.url(), DJANGO_STATIC_ROOT=str(static_root))
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        with AppServer(env, tmp_path, "outage", workers=1) as server:
            browser = Browser()
            for page in ("/ru/", "/en/organizations/"):
                response = browser.get(server.url + page)
                assert response.status == 200, f"{page}: {response.status}\n{server.log()}"

            cluster.stop()

            for page, language in (
                ("/ru/", "ru"),
                ("/en/", "en"),
                ("/ru/organizations/?kind=ngo", "ru"),
                ("/en/organizations/", "en"),
            ):
                assert_outage_page(browser.get(server.url + page), language)
            # Logging in to the admin (login throttling, users, sessions) too.
            login = f"{server.url}/admin/login/"
            assert browser.get(login).status == 200  # the form itself needs no database
            reply = browser.post(login, {"username": "editor", "password": "whatever"})
            assert reply.status == 503 and reply.header("Retry-After")

            cluster.start()

            for page in ("/ru/", "/en/organizations/"):
                response = browser.get(server.url + page)
                assert response.status == 200, f"{page} after the restart: {response.status}"


# In process: the handler tells an outage from a bug.


def unreachable(request):
    """Connects to a PostgreSQL port where nothing listens."""
    url = f"postgres://postgres@127.0.0.1:{free_port()}/nothing"
    handler = ConnectionHandler({"default": dj_database_url.parse(url)})
    try:
        handler["default"].ensure_connection()
    finally:
        handler.close_all()


def broken_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_here")


urlpatterns = [
    path("unreachable/", unreachable),
    path("en/unreachable/", unreachable),
    path("broken/", broken_query),
    *site_urlpatterns,
]
handler500 = "rightsnet.errors.server_error"


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(("url", "language"), [("/unreachable/", "ru"), ("/en/unreachable/", "en")])
def test_an_unreachable_database_gives_503_without_a_query(
    client, settings, django_assert_num_queries, url, language
):
    settings.DEBUG = False
    client.raise_request_exception = False

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert RUSSIAN in text and ENGLISH in text
    assert f'<html lang="{language}">' in text


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_broken_query_is_a_500_not_an_outage(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    response = client.get("/broken/")

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "Ошибка сервера" in response.content.decode()

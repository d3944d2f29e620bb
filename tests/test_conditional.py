"""``rightsnet.conditional.respond``: the one call a download view makes to answer 304s."""

import datetime

from django.http import HttpResponse
from django.test import RequestFactory

from rightsnet import conditional

CHANGED = datetime.datetime(2026, 11, 30, 12, 0, 5, 900000, tzinfo=datetime.UTC)
JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def call(version=(41, CHANGED), key=("/en/data/datapackage.json",), content_type=JSON, **headers):
    made = []

    def make():
        made.append(1)
        return HttpResponse(b"{}", content_type=content_type)

    request = RequestFactory().get("/en/data/datapackage.json", headers=headers)
    return conditional.respond(request, version, key, make, content_type=content_type), made


def test_the_response_gets_a_weak_etag_last_modified_and_no_cache():
    response, made = call()
    assert made == [1]
    assert response["ETag"] == conditional.etag(41, ("/en/data/datapackage.json",))
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"] == "Mon, 30 Nov 2026 12:00:05 GMT"
    assert response["Cache-Control"] == "no-cache"


def test_a_match_is_a_304_made_without_calling_make():
    tag = call()[0]["ETag"]
    for headers in ({"If-None-Match": tag}, {"If-Modified-Since": "Mon, 30 Nov 2026 12:00:05 GMT"}):
        response, made = call(**headers)
        assert response.status_code == 304 and made == []
        assert response["ETag"] == tag
        assert response["Vary"] == "Accept-Encoding"  # as the compressed 200 has it
    response, made = call(content_type=XLSX, **{"If-None-Match": tag})
    assert response.status_code == 304 and not response.has_header("Vary")


def test_the_tag_changes_with_the_version_and_the_key_and_not_with_the_time():
    tag = call()[0]["ETag"]
    assert call(version=(42, CHANGED))[0]["ETag"] != tag
    assert call(key=("/ru/data/datapackage.json",))[0]["ETag"] != tag
    assert call(version=(41, None))[0]["ETag"] == tag
    assert call(version=(42, CHANGED), **{"If-None-Match": tag})[0].status_code == 200


def test_an_unknown_time_gives_no_last_modified():
    response, _made = call(
        version=(41, None), **{"If-Modified-Since": "Mon, 30 Nov 2026 12:00:05 GMT"}
    )
    assert response.status_code == 200
    assert not response.has_header("Last-Modified")


def test_an_error_response_is_left_alone():
    request = RequestFactory().get("/")
    response = conditional.respond(
        request, (1, CHANGED), (), lambda: HttpResponse(status=503), content_type=JSON
    )
    assert response.status_code == 503
    assert not response.has_header("ETag") and not response.has_header("Cache-Control")

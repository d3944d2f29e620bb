"""The server-error handler: 503 with Retry-After when the database cannot be reached.

Django calls ``handler500`` while it handles the exception, whichever middleware or
view raised it, so ``sys.exc_info()`` tells an outage from a bug. The 503 page is
rendered without a request: no context processor, nothing that queries.
"""

import sys

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language_from_path
from django.views.defaults import server_error as default_server_error

from rightsnet.dberrors import RETRY_AFTER_SECONDS, is_transient
from rightsnet.i18n import current_language


def server_error(request, template_name: str = "500.html"):
    error = sys.exc_info()[1]
    if error is None or not is_transient(error):
        return default_server_error(request, template_name)
    language = current_language(get_language_from_path(request.path_info))
    html = loader.get_template("503.html").render({"language": language})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response

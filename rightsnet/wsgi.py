"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.wsgi import get_wsgi_application

from rightsnet.runtime import tune_garbage_collector

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightsnet.settings")

application = get_wsgi_application()
tune_garbage_collector()

"""Fixtures shared by every test."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Russian, the site's default language."""
    with translation.override("ru"):
        yield

"""Django set up for a benchmark run in process, and a test client signed in as one account.

    from inprocess import signed_in_client   # from a script in bench/
    client = signed_in_client("b0001-secretary")

``DATABASE_URL`` says which database (a generated district); ``DEBUG`` is off. The client
renders templates with Django's plain renderer: the test runner's instrumented one (it copies the
context and sends a signal for every template rendered, each ``<option>`` of a ``Select`` being
one) made templates look 2–4× dearer than they are under gunicorn.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.template.base import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

_ready = False


def signed_in_client(username: str) -> Client:
    global _ready
    if not _ready:
        render = Template._render
        setup_test_environment()  # the test client's host and e-mail settings ...
        Template._render = render  # ... but not its template instrumentation
        _ready = True
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client

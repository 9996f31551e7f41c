"""
ASGI config for branch_portal project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branch_portal.settings")

application = get_asgi_application()

# With DEBUG off, a server refuses to start on the public development key.
from common.security import refuse_development_key  # noqa: E402

refuse_development_key()

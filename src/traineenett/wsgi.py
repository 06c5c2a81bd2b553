"""WSGI entry point: ``waitress-serve traineenett.wsgi:application`` or gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traineenett.settings")
application = get_wsgi_application()

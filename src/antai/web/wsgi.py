"""The WSGI application `antai serve` hands to waitress (settings must be chosen before this is imported)."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

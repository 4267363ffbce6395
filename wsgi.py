"""The one module that builds an app at import: ``gunicorn wsgi:app``."""

from procure import create_app

app = create_app()

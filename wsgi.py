"""The one module that builds an app at import: ``gunicorn wsgi:app``.

``WEB_ONLY``: no ``flask db`` or other commands in a web worker (less memory in each worker;
docs/benchmarks.md, "Pages of every role under load")."""

from procure import create_app

app = create_app({"WEB_ONLY": True})

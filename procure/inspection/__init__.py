"""The inspector's portal (Inspektorat / APIP / BPK): every order with filters and exports,
and the red flags auditors look for. Read-only; admins see it too.

``views.py`` holds the blueprint; ``rules.py`` is pure (no Flask, no SQLAlchemy);
``services.py`` and ``red_flags.py`` hold the queries; ``export.py`` writes CSV and XLSX.
"""

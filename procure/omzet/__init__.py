"""Monthly omzet: filing, revisions, bulk import, compliance, scale and inspector flags.

The blueprint lives in ``views.py``; ``rules.py`` is pure (no Flask, no SQLAlchemy).
"""

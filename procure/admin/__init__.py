"""Administration: verification queue, UMKM list, OPDs, accounts, categories, wilayah, audit log.

Admins change; inspectors read the same pages (every non-GET is refused to them globally, and
the templates show them no forms).

Layout: ``rules.py`` (pure: transitions, checklist, slugs) and ``presenters.py`` (pure: chart
geometry, audit data lines); ``services_umkm`` / ``services_org`` / ``services_ref`` /
``services_report`` (use cases and queries; they flush, never commit); ``views.py`` defines the
blueprint and imports ``views_umkm`` / ``views_org`` / ``views_ref`` to register their routes.
The blueprint lives in ``views.py`` so that importing this package (its pure rules) does not pull
in Flask views.
"""

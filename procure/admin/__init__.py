"""Administration: verification queue, UMKM list, OPDs, accounts, categories, wilayah, audit log.

Admins change; inspectors read the same pages (every non-GET is refused to them globally, and
the templates show them no forms).

Layout: ``rules.py`` (pure: transitions, checklist, slugs) and ``presenters.py`` (pure: chart
geometry, audit data lines); ``services_umkm`` (verification), ``organisations`` (OPDs,
accounts), ``reference_data`` (categories, wilayah), ``audit_log`` and ``dashboard`` (use cases and
queries; they flush, never commit); ``blueprint.py`` declares the blueprint that the view modules
(``views_umkm``, ``views_organisations``, ``views_reference_data``) import, and ``views.py``
imports them so that registering the blueprint registers every page. Importing this package (its
pure rules) does not pull in Flask views.
"""

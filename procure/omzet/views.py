"""Omzet routes: importing this module registers every omzet page on the blueprint.

- ``views_umkm.py``: the owner files, corrects and reads its own months;
- ``views_first.py``: the first-login prompt for the three months before registration;
- ``views_admin.py``: compliance, admin/inspector history and flags;
- ``imports/views_upload.py`` and ``imports/views_jobs.py``: the bulk import and its jobs.

Each imports the blueprint from ``blueprint.py``.
"""

from procure.omzet import views_admin, views_first, views_umkm  # noqa: F401
from procure.omzet.imports import views_jobs, views_upload  # noqa: F401

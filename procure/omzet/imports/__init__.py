"""Bulk omzet import: limits checked before parsing (``bounds``, ``xlsx_scan``), reading the
table (``table``), the row rules (``rules``), set-based reads and writes (``db``), the import
itself (``importer``), large files as jobs (``jobs``) and the admin pages (``views_upload``,
``views_jobs``)."""

"""Administration: verification queue, OPDs, accounts, categories, audit log.

Admins change; inspectors read the same pages (every non-GET is refused to them globally).


The blueprint lives in ``views.py`` so that importing this package (its models or its
pure rules) does not pull in Flask views.
"""

"""OPD: the procurement officer's home (requests and orders arrive in later issues).

The blueprint lives in ``views.py`` so that importing this package (its models or its
pure rules) does not pull in Flask views.
"""

"""Accounts: login, logout, throttling, password change.

The blueprint lives in ``views.py`` so that importing this package (its models or its
pure rules) does not pull in Flask views.
"""

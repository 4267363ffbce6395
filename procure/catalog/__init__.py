"""The catalog: browse and search verified UMKM and their active products.

The blueprint lives in ``views.py`` so that importing this package (its models or its
pure rules) does not pull in Flask views.
"""

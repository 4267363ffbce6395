"""Allocation: the pure pemerataan policy that ranks UMKM offers and splits a purchase request.

``policy.py`` is the entry point (``evaluate``), ``records.py`` holds its frozen inputs and
outputs, ``explain.py`` the Indonesian wording, ``fairness.py`` the replay metrics. None of them
imports Flask, SQLAlchemy or pandas; keep this file free of imports so loading a pure module
never pulls a framework in.
"""

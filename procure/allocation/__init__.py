"""Allocation: the pure pemerataan policy that ranks UMKM offers and splits a purchase request.

``policy.py`` is the entry point (``evaluate``, either named policy: pemerataan-v2 or v1),
``records.py`` holds its frozen inputs and outputs, ``need.py`` the round and the need,
``split.py`` the two split modes, ``explain.py`` the Indonesian wording, ``fairness.py`` the
replay metrics. None of them imports Flask, SQLAlchemy or pandas; keep this file free of
imports so loading a pure module never pulls a framework in.
"""

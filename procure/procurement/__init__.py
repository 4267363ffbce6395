"""Purchase requests, allocation runs and orders (issue 4).

``models.py`` holds the tables; the pure policy lives in ``procure.allocation``. Services load
the facts, call the policy, and persist the run and the orders.
"""

"""Purchase requests, allocation runs and the decision (issue 4).

``models.py`` holds the tables (orders' too); the pure policy lives in ``procure.allocation``,
the ranking engine in ``procure.ranking`` and the order lifecycle in ``procure.orders``.
Services load the facts, call the policy, and persist the run and the orders.
"""

"""The ranking engine (issue 4, issue 8): who is offered a request, in which order.

``figures`` keeps the per-UMKM figures (``figures_sql`` their SQL), ``facts`` loads what the
pure policy (``procure.allocation``) needs, ``walk`` reads the ranking of a large category in
order, ``evaluate`` runs the policy on one request, and ``stored_run`` reads and writes the run
as it is stored (``AllocationRun.result``). ``cli`` holds ``refresh-figures``.
"""

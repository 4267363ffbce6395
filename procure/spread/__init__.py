"""Is spend spreading? The pemerataan dashboard, the 40 % measure, what-if replays, the public page.

``periods`` (the reporting period) and ``metrics`` (Gini, Lorenz, shares, HHI, the 40 % ratio)
are pure; ``report`` holds the figures as plain frozen data; ``services.build_report`` is the one
place they are computed, in the database (GROUP BY), for every output: the dashboard, the public
page ``/transparansi``, the exports, the PDF report and ``procure report fairness``.
"""

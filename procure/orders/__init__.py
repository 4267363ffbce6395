"""The order lifecycle (Surat Pesanan): answer, deliver, inspect, hand over, pay, cancel, expire.

``rules`` are pure; ``services`` change an order (``events`` logs each change, ``pass_on``
offers a declined or expired part down the stored ranking); ``views`` (blueprint in
``blueprint.py``, URLs under ``/pengadaan``) and ``presenters`` serve the pages; ``cli`` holds
``expire-orders``.
"""

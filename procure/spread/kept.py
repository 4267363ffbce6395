"""A small per-process memory for what the pemerataan pages draw from a stored report.

The dashboard and the public page of a stored report draw the same charts, links and
tables request after request (most of their time at 100,000 UMKM). ``store`` parses a
stored report once per process, so its rows are the same objects each time: ``kept``
matches them by identity, plain arguments (titles, ids, link lists) by value.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from flask import has_request_context, request

KEPT = 64  # drawn charts (and link lists) kept per process, the least used dropped


_PLAIN = (str, int, float, Fraction, dt.date, type(None))


class _List(tuple[Any, ...]):
    """A list result, kept immutable."""


def _token(value: Any) -> Any:
    """A key part: plain values (and lists or dicts of them) by value, anything else (the
    report's frozen rows) by identity. An entry keeps its arguments alive, so an identity
    it was made for is never reused by another object while the entry exists."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, _PLAIN) for v in value):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted((k, _token(v)) for k, v in value.items()))
    return ("id", id(value))


def kept(draw: Callable[..., Any]) -> Callable[..., Any]:
    """``draw`` answered from the memory for arguments met before (the ``KEPT`` most
    recently used). ``url_for`` results also depend on the app's script root, which is part
    of the key. Only for functions of their arguments whose results are not changed."""
    memory: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(draw)
    def answer(*args: Any, **kwargs: Any) -> Any:
        root = request.script_root if has_request_context() else None
        key = (tuple(map(_token, args)), _token(kwargs), root)
        found = memory.get(key)
        if found is None:
            drawn = draw(*args, **kwargs)
            if isinstance(drawn, list):
                drawn = _List(drawn)  # kept as a tuple; each caller gets its own list
            found = ((args, kwargs), drawn)
            with lock:
                memory[key] = found
                while len(memory) > KEPT:
                    memory.popitem(last=False)
        else:
            with lock:
                if key in memory:
                    memory.move_to_end(key)
        drawn = found[1]
        return list(drawn) if isinstance(drawn, _List) else drawn

    answer.forget = memory.clear  # type: ignore[attr-defined]
    return answer

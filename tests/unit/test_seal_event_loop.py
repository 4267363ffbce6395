"""pyHanko's sync calls run their own event loop (``asyncio.run``); sealing and checking must
work from a thread that already runs one (an async server, Playwright's sync API in tests).

Each case runs in a fresh thread of its own, whatever loop the test process's main thread
holds (a browser test earlier in the same worker leaves Playwright's running there)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import TypeVar

from procure.documents.seal import outside_event_loop

T = TypeVar("T")


def _in_fresh_thread(work: Callable[[], T]) -> T:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


async def _answer() -> int:
    return 42


def test_without_a_running_loop_the_work_runs_in_the_calling_thread() -> None:
    def case() -> tuple[int, bool]:
        here = threading.get_ident()
        return outside_event_loop(lambda: (asyncio.run(_answer()), threading.get_ident() == here))

    assert _in_fresh_thread(case) == (42, True)


def test_inside_a_running_loop_the_work_runs_in_a_thread_of_its_own() -> None:
    async def main() -> tuple[int, bool]:
        here = threading.get_ident()
        # asyncio.run here would raise "cannot be called from a running event loop".
        return outside_event_loop(lambda: (asyncio.run(_answer()), threading.get_ident() != here))

    assert _in_fresh_thread(lambda: asyncio.run(main())) == (42, True)

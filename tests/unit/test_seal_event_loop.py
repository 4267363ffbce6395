"""pyHanko's sync calls run their own event loop (``asyncio.run``); sealing and checking must
work from a thread that already runs one (an async server, Playwright's sync API in tests)."""

from __future__ import annotations

import asyncio
import threading

from procure.documents.seal import outside_event_loop


async def _answer() -> int:
    return 42


def test_without_a_running_loop_the_work_runs_in_this_thread() -> None:
    here = threading.get_ident()
    assert outside_event_loop(lambda: (asyncio.run(_answer()), threading.get_ident())) == (
        42,
        here,
    )


def test_inside_a_running_loop_the_work_runs_in_a_thread_of_its_own() -> None:
    async def main() -> tuple[int, bool]:
        here = threading.get_ident()
        # asyncio.run here would raise "cannot be called from a running event loop".
        return outside_event_loop(lambda: (asyncio.run(_answer()), threading.get_ident() != here))

    assert asyncio.run(main()) == (42, True)

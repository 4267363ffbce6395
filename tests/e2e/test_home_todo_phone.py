"""The officer's to-do home on a 390 x 844 phone and at 1366 px: one column, no horizontal
scroll, every item a large touch target, the most urgent first and in view without scrolling.
Screenshots: ``test-artifacts/screenshots/home-todo-opd-*.png``."""

from __future__ import annotations

import pytest
from flask import Flask

from tests import factories
from tests.e2e.conftest import screenshot
from tests.functional.test_home_opd import _world


@pytest.mark.parametrize("width,height", [(390, 844), (1366, 768)])
def test_opd_todo_home_on_a_phone_and_a_desktop(
    app: Flask, live_server: str, page, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    officer, _ = _world()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server}/masuk")
    page.fill("input[name=email]", officer.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/opd/")
    links = page.locator("[data-testid=todo] a.todo-link")
    assert links.count() == 6
    assert "Pembayaran lewat batas" in links.first.inner_text()
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert all(b is not None and b["height"] >= 44 for b in boxes)
    lefts = {round(b["x"]) for b in boxes if b}
    assert len(lefts) == 1  # one column
    first = boxes[0]
    assert first is not None and first["y"] + first["height"] <= height  # in view on arrival
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"home-todo-opd-{width}")

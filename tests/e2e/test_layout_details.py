"""Browser test: small layout details that only a browser shows, on the demo of Kota Sukamaju.

- The order list (the officer's, and the admin's with its OPD column), an order's payments
  table and its documents table fit a 1366 px screen without scrolling sideways inside their
  box; on a 390 px phone each of their rows is a card.
- A required field's "*" stays on the line of its label's last word, however long the label.
- Every payment method of the payment form is readable whole on a phone (radio buttons whose
  labels wrap; a select cut the chosen one off).
- The omzet chart's "belum" label keeps clear of its dashed box.
Screenshots: test-artifacts/screenshots/layout_*.png (SQLite run).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import current_app
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.orders.services import record_payment
from procure.payments import services as payments
from procure.payments.rules import METHODS, SP2D_LS, TRANSFER, TaxWithheld
from procure.procurement.models import PurchaseOrder
from tests import factories
from tests.conftest import BACKENDS
from tests.e2e.conftest import screenshot
from tests.e2e.demo_site import (
    OFFICER,
    VIEWPORTS,
    DemoSite,
    accepted_order,
    browser_page,
    demo_site,
)

pytestmark = pytest.mark.e2e

ADMIN = "admin@sukamaju.go.id"
OWNER_WITH_GAPS = "katering.harti@contoh.id"  # a demo UMKM with months it has not filed


@pytest.fixture(scope="module", params=BACKENDS)
def site(request: pytest.FixtureRequest) -> Iterator[DemoSite]:
    with demo_site(request, request.param) as site:
        yield site


def _page(browser: Browser, site: DemoSite, width: str, email: str) -> Page:
    return browser_page(browser, site, width, email)


def _shot(page: Page, site: DemoSite, name: str) -> None:
    if site.backend == "sqlite":
        screenshot(page, f"layout_{name}")


def _officer() -> User:
    officer = db.session.scalar(select(User).where(User.email == OFFICER))
    assert officer is not None
    return officer


def _handed_over(site: DemoSite, title: str) -> PurchaseOrder:
    """A new order of the demo officer's OPD, handed over and waiting for its payment (in the
    caller's app context)."""
    order_id, _ = accepted_order(site.app, title, delivered_days_ago=1)
    order = db.session.get(PurchaseOrder, order_id)
    assert order is not None
    factories.inspected_and_handed_over(order, _officer())
    db.session.commit()
    return order


def _waiting_for_payment(site: DemoSite, title: str) -> int:
    with site.app.app_context():
        order_id: int = _handed_over(site, title).id
        db.session.remove()
    return order_id


def _paid_corrected_and_paid_again(site: DemoSite, title: str) -> int:
    """An order whose first payment was reversed (with its reason) and paid again by a
    transfer: the payments table at its widest (three rows, a reason, a reversal, Tindakan)."""
    with site.app.app_context():
        order = _handed_over(site, title)
        officer = _officer()
        record_payment(
            db.session,
            order,
            paid_on=today_in_jakarta(),
            reference="0042/SP2D-LS/1.02.01/2026",
            actor_id=officer.id,
            config=current_app.config,
            method=SP2D_LS,
            reference_date=today_in_jakarta(),
        )
        db.session.commit()
        first = payments.payments_of(db.session, order.id)[0]
        payments.reverse_payment(
            db.session,
            order,
            first.id,
            "Nomor SP2D salah ketik, dibayar ulang lewat transfer Bendahara.",
            actor_id=officer.id,
            config=current_app.config,
        )
        db.session.commit()
        payments.record_payment(
            db.session,
            order,
            method=TRANSFER,
            reference="TRF-BJTG/2026/000417",
            paid_on=today_in_jakarta(),
            gross=first.gross,
            taxes=[TaxWithheld(t["label"], t["amount"]) for t in first.taxes],
            net=first.net,
            actor_id=officer.id,
            config=current_app.config,
        )
        db.session.commit()
        order_id: int = order.id
        db.session.remove()
    return order_id


def _fits(page: Page, table: str, width: str, what: str) -> None:
    """At 1366 px the table's box does not scroll sideways; at 390 px its rows are cards and
    the page does not scroll sideways."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= VIEWPORTS[width]["width"], f"{what}: the page is {wide} px wide"
    locator = page.locator(table)
    assert locator.count() == 1, what
    if width == "1366":
        box = locator.evaluate(
            "t => { const b = t.parentElement; return [b.scrollWidth, b.clientWidth]; }"
        )
        assert box[0] <= box[1], f"{what} scrolls sideways inside its box: {box}"
    else:
        rows = locator.locator("tbody tr")
        assert rows.count() >= 1, what
        shown = rows.first.evaluate("tr => getComputedStyle(tr).display")
        assert shown == "block", f"{what}: the rows are not cards on a phone"


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_order_lists_fit_the_screen(browser: Browser, site: DemoSite, width: str) -> None:
    for who, email in (("officer", OFFICER), ("admin", ADMIN)):
        page = _page(browser, site, width, email)
        page.goto(f"{site.base}/pengadaan/pesanan")
        _fits(page, "main table.table-orders", width, f"the {who}'s order list at {width} px")
        _shot(page, site, f"orders_{who}_{width}")
        page.context.close()


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_an_orders_payments_fit_the_screen(browser: Browser, site: DemoSite, width: str) -> None:
    order_id = _paid_corrected_and_paid_again(site, f"Kemeja batik dibayar ulang {width}")
    page = _page(browser, site, width, OFFICER)
    page.goto(f"{site.base}/pengadaan/pesanan/{order_id}")
    payments_table = "#pembayaran table"
    assert page.locator(f"{payments_table} tbody tr").count() == 3
    assert page.locator(f"{payments_table} thead th", has_text="Tindakan").count() == 1
    _fits(page, payments_table, width, f"the payments at {width} px")
    # Its documents (SP, BAP, BAST, two Kuitansi, one cancelled) fit the same column.
    assert page.locator("section[aria-labelledby=dokumen] table tbody tr").count() >= 5
    _fits(
        page,
        "section[aria-labelledby=dokumen] table",
        width,
        f"the order's documents at {width} px",
    )
    page.locator("#pembayaran").scroll_into_view_if_needed()
    _shot(page, site, f"payments_{width}")
    page.context.close()


# The "*" of a required field and the last line of its label's text: both rects in the page.
STAR_AND_LABEL = """star => {
  const label = star.previousElementSibling;
  const range = document.createRange();
  range.selectNodeContents(label);
  const lines = Array.from(range.getClientRects());
  const last = lines[lines.length - 1];
  const s = star.getBoundingClientRect();
  return {label: label.textContent.trim(), lines: lines.length,
          lastTop: last.top, lastBottom: last.bottom, lastRight: last.right,
          starTop: s.top, starBottom: s.bottom, starLeft: s.left};
}"""


def test_the_required_marker_stays_with_its_label(browser: Browser, site: DemoSite) -> None:
    order_id = _waiting_for_payment(site, "Kemeja batik menunggu bayar")
    page = _page(browser, site, "390", OFFICER)
    page.goto(f"{site.base}/pengadaan/pesanan/{order_id}")
    page.locator("summary", has_text="Catat pembayaran").first.click()
    form = page.locator("form[data-payment-form]")
    stars = form.locator("label.form-label + span[aria-hidden='true']")
    assert stars.count() >= 4  # method, reference, date, gross, net
    wrapped = 0
    for n in range(stars.count()):
        found = stars.nth(n).evaluate(STAR_AND_LABEL)
        wrapped += found["lines"] > 1
        # On the last line of the label, just after its last word.
        assert found["starTop"] < found["lastBottom"] and found["starBottom"] > found["lastTop"], (
            f"the * of {found['label']!r} is not on the line of its last word: {found}"
        )
        assert found["starLeft"] >= found["lastRight"] - 0.5, found
    assert wrapped, "no label long enough to wrap: the check proves nothing"
    _shot(page, site, "required_390")
    page.context.close()


# Each method's label in the payment form: whether its text is cut off, and where it stands.
METHOD_LABELS = """form => Array.from(form.querySelectorAll('input[name=method]')).map(input => {
  const label = form.querySelector(`label[for="${input.id}"]`);
  const box = label.getBoundingClientRect(), room = form.getBoundingClientRect();
  return {text: label.textContent, cut: label.scrollWidth > label.clientWidth,
          inside: box.left >= room.left && box.right <= room.right};
})"""


def test_the_payment_methods_are_readable_whole_on_a_phone(
    browser: Browser, site: DemoSite
) -> None:
    order_id = _waiting_for_payment(site, "Kemeja batik cara bayar")
    page = _page(browser, site, "390", OFFICER)
    page.goto(f"{site.base}/pengadaan/pesanan/{order_id}")
    page.locator("summary", has_text="Catat pembayaran").first.click()
    form = page.locator("form[data-payment-form]")
    found = form.evaluate(METHOD_LABELS)
    # Every method is a radio button whose label wraps inside the form, none cut off: a
    # select shows its chosen label on one line, cut off at this width.
    assert [m["text"] for m in found] == [m.label for m in METHODS.values()]
    for method in found:
        assert method["inside"] and not method["cut"], method
    group = page.get_by_role("group", name="Cara pembayaran")
    group.get_by_role("radio", name=METHODS[TRANSFER].label, exact=True).check()
    assert form.locator("input[name=method]:checked").get_attribute("value") == TRANSFER
    _shot(page, site, "payment_method_390")
    page.context.close()


# The dashed box of each month not filed and its "belum": how far the text keeps from the box,
# "inside" it (its nearest edge; negative: it crosses an edge) or "outside" it.
BELUM_CLEARANCE = """svg => Array.from(svg.querySelectorAll('rect[stroke-dasharray]')).map(rect => {
  const text = rect.parentElement.querySelector('text');
  const r = rect.getBoundingClientRect(), t = text.getBoundingClientRect();
  const apart = t.bottom <= r.top || t.top >= r.bottom || t.right <= r.left || t.left >= r.right;
  if (apart) {
    return {text: text.textContent, outside: Math.max(r.top - t.bottom, t.top - r.bottom,
            r.left - t.right, t.left - r.right)};
  }
  return {text: text.textContent, inside: Math.min(t.left - r.left, r.right - t.right,
          t.top - r.top, r.bottom - t.bottom)};
})"""


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_omzet_charts_belum_keeps_clear_of_its_box(
    browser: Browser, site: DemoSite, width: str
) -> None:
    page = _page(browser, site, width, OWNER_WITH_GAPS)
    page.goto(f"{site.base}/omzet/")
    found = page.locator("svg.omzet-chart").evaluate(BELUM_CLEARANCE)
    assert found, "the demo UMKM has no month left unfiled: the check proves nothing"
    for month in found:
        assert month["text"] == "belum"
        clearance = month.get("outside", month.get("inside"))
        assert clearance >= 3, f"'belum' touches its dashed box: {month}"
    _shot(page, site, f"omzet_chart_{width}")
    page.context.close()

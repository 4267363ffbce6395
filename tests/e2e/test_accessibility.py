"""Accessibility: axe-core on every HTML page of every role, at phone and laptop width, and
the keyboard path to each primary action.

The pages hold the demo's Kota Sukamaju (this year's requests, orders and documents) plus a
request whose ranking waits for the officer's decision, an order waiting for its UMKM's answer,
an undecided request, a statement of business, a password-reset link, an omzet import and a
what-if replay. No page may have a serious or critical violation, and at phone width no page
may scroll sideways; the assertion names each problem with its page and element.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from procure.auth.models import User
from procure.auth.reset import LinkSettings, issue_link, new_token
from procure.catalog.models import ProductKind
from procure.clock import today_in_jakarta
from procure.documents.issuing import current_document
from procure.documents.numbering import DocumentKind
from procure.extensions import db
from procure.omzet.imports.jobs import create_job
from procure.omzet.imports.jobs import run as run_import_job
from procure.omzet.imports.rules import template_csv
from procure.omzet.imports.views_upload import EXAMPLE_NIB
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period
from procure.payments.models import Payment
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.ranking.facts import policy_settings
from procure.sample_data.demo import ADMIN_EMAIL, INSPECTOR_EMAIL
from procure.spread import whatif, whatif_jobs
from procure.spread.periods import ReportPeriod
from procure.spread.whatif_rules import CHEAPEST, V1, V2, default_period, parse_scenarios
from procure.statements.services import request_statement
from procure.umkm.models import Product, Umkm, UmkmStatus
from tests.e2e.axe import violations
from tests.e2e.demo_site import (
    OFFICER,
    VIEWPORTS,
    DemoSite,
    browser_page,
    demo_site,
    open_request,
    order_to_answer,
)

pytestmark = pytest.mark.e2e


@dataclass
class Sweep:
    site: DemoSite
    logins: dict[str, str]  # role -> e-mail ("anon": none)
    pages: dict[str, list[str]]  # role -> paths
    ranking: str  # the request page with a ranking to decide


@dataclass
class Rows:
    """Ids of the demo's rows (and of the few the fixture adds) that the swept paths name."""

    order: int  # an order waiting for its UMKM's answer
    maker: int  # that order's UMKM (verified)
    maker_email: str
    product: int  # one of its products
    ordered: int  # a request of the officer's OPD decided into orders
    draft: int  # an undecided request of the officer's OPD
    pending: int  # a UMKM waiting for verification
    opd: int  # the officer's OPD
    category: int
    kind: int
    period: str  # a month the maker filed its omzet for
    statement: int  # the maker's statement of business
    statement_number: str
    public_id: str  # a document's code for its verification page
    reset_token: str  # a valid password-reset link's secret
    import_job: int  # an omzet import (a dry run with a row error)
    whatif_job: str  # a finished what-if replay
    payment_pages: list[str]  # the officer's order pages with payments


def _officer_rows(officer: User) -> tuple[int, list[str]]:
    """The officer's request decided into orders, and its order pages with payments: an
    order's payments with the form or the list, and the confirmation page of a reversal."""
    ordered = db.session.scalar(
        select(PurchaseRequest.id)
        .where(PurchaseRequest.opd_id == officer.opd_id)
        .where(PurchaseRequest.status == "ordered")
        .order_by(PurchaseRequest.id)
    )
    assert ordered is not None
    of_officer = (
        select(PurchaseOrder.id)
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .where(PurchaseRequest.opd_id == officer.opd_id)
    )
    payment = db.session.execute(
        select(Payment.order_id, Payment.id)
        .where(Payment.order_id.in_(of_officer.scalar_subquery()))
        .order_by(Payment.id)
        .limit(1)
    ).first()
    to_pay = db.session.scalar(
        of_officer.where(PurchaseOrder.status == "received").order_by(PurchaseOrder.id)
    )
    assert payment is not None
    return ordered, [
        f"/pengadaan/pesanan/{payment.order_id}",
        f"/pengadaan/pesanan/{payment.order_id}/pembayaran/{payment.id}/koreksi",
        *([f"/pengadaan/pesanan/{to_pay}"] if to_pay else []),
    ]


def _whatif_job(app: Flask) -> str:
    """A replay of last month (or, when it had no decided request, of this year), finished."""
    today = today_in_jakarta()
    period = ReportPeriod.parse(default_period(today))
    if whatif.count_requests(db.session, period) == 0:
        period = ReportPeriod.year(today.year)
    period = period.clipped(today)
    settings = policy_settings(app.config)
    scenarios = parse_scenarios(
        [
            {"kind": V2, "k": str(settings.max_suppliers), "split": "capacity", "cap": ""},
            {"kind": V1, "k": "2", "split": "level", "cap": ""},
            {"kind": CHEAPEST, "k": "3", "split": "capacity", "cap": ""},
        ]
    )
    count = whatif.count_requests(db.session, period)
    assert count > 0, period
    job_id, _ = whatif_jobs.start(app, period, scenarios, settings, count)
    whatif_jobs.wait_for_threads()
    found = whatif_jobs.find(app.config, job_id)
    assert found is not None and found.outcome is not None, job_id
    return job_id


def _rows(app: Flask) -> Rows:
    waiting_order, maker_email = order_to_answer(app, "Kemeja batik panitia pameran")
    draft = open_request(app, "Kemeja batik paduan suara", allocate=False)
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        maker = db.session.scalar(select(User).where(User.email == maker_email))
        assert officer is not None and officer.opd_id is not None
        assert maker is not None and maker.umkm_id is not None
        ordered, payment_pages = _officer_rows(officer)
        pending = db.session.scalar(
            select(Umkm.id).where(Umkm.status == UmkmStatus.PENDING.value).order_by(Umkm.id)
        )
        product = db.session.scalar(
            select(Product.id).where(Product.umkm_id == maker.umkm_id).order_by(Product.id)
        )
        kind = db.session.scalar(select(ProductKind).order_by(ProductKind.id))
        assert pending is not None and product is not None and kind is not None
        period = db.session.scalar(
            select(OmzetReport.period)
            .where(OmzetReport.umkm_id == maker.umkm_id)
            .order_by(OmzetReport.period.desc())
        )
        assert period is not None, "the demo's makers file their omzet"
        today = today_in_jakarta()
        statement, _ = request_statement(  # issued at once: approval is off by default
            db.session,
            actor=maker,
            umkm_id=maker.umkm_id,
            period_start=today.replace(day=1),
            period_end=today,
            purpose="Pengajuan kredit usaha",
            config=app.config,
            today=today,
        )
        document = current_document(db.session, waiting_order, DocumentKind.SURAT_PESANAN)
        assert document is not None and statement.number is not None
        secret, digest = new_token()
        inspector = db.session.scalar(select(User).where(User.email == INSPECTOR_EMAIL))
        assert inspector is not None
        issue_link(
            db.session,
            inspector,
            LinkSettings(minutes=60, link_for=lambda token: token, pemda_name="Kota Sukamaju"),
            requested_by_id=None,
            ip="127.0.0.1",
            token=(secret, digest),
        )
        job = create_job(
            db.session,
            template_csv(EXAMPLE_NIB, Period.of(today).shift(-1)),  # an unknown NIB: an error
            "omzet-kecamatan.csv",
            actor_id=None,
            dry_run=True,
        )
        db.session.commit()
        run_import_job(job.id)
        rows = Rows(
            order=waiting_order,
            maker=maker.umkm_id,
            maker_email=maker_email,
            product=product,
            ordered=ordered,
            draft=draft,
            pending=pending,
            opd=officer.opd_id,
            category=kind.category_id,
            kind=kind.id,
            period=period,
            statement=statement.id,
            statement_number=statement.number,
            public_id=document.public_id,
            reset_token=secret,
            import_job=job.id,
            whatif_job=_whatif_job(app),
            payment_pages=payment_pages,
        )
        db.session.remove()
    return rows


# Pages an admin and an inspector both read (the inspector without the forms that change).
def _admin_reads(r: Rows) -> list[str]:
    return [
        "/admin/",
        "/admin/verifikasi",
        "/admin/umkm",
        f"/admin/umkm/{r.pending}",
        f"/admin/umkm/{r.maker}",
        "/admin/opd",
        f"/admin/opd/{r.opd}",
        "/admin/akun",
        "/admin/kategori",
        "/admin/wilayah",
        "/admin/audit",
        "/admin/notifikasi/",
        "/admin/jenis-barang/",
        "/admin/jenis-barang/pilah",
        "/admin/surat-keterangan/",
        f"/admin/surat-keterangan/{r.statement}",
        "/omzet/kepatuhan",
        "/omzet/tanda",
        f"/omzet/umkm/{r.maker}",
        "/pemerataan/",
        "/pemerataan/tanpa-pesanan",
        "/pemerataan/pagu",
        "/pengadaan/permintaan",
        f"/pengadaan/permintaan/{r.ordered}",
        "/pengadaan/pesanan",
        f"/pengadaan/pesanan/{r.order}",
        "/dokumen/",
        "/katalog/",
        "/akun/kata-sandi",
    ]


def _pages(r: Rows, ranking: str) -> dict[str, list[str]]:
    """Every HTML page each role can open (files, PDFs and JSON are not swept)."""
    return {
        "anon": [
            "/",
            "/masuk",
            "/lupa-sandi",
            f"/atur-sandi/{r.reset_token}",
            "/atur-sandi/tautan-yang-tidak-dikenal",
            "/umkm/daftar",
            "/transparansi/",
            "/verifikasi/",
            f"/verifikasi/{r.public_id}",
            f"/verifikasi/surat-keterangan/{r.statement_number}",
        ],
        "admin": [
            *_admin_reads(r),
            "/admin/akun/baru",
            f"/admin/kategori/{r.category}",
            "/admin/lambang",
            f"/admin/opd/{r.opd}/ubah",
            "/admin/opd/baru",
            f"/admin/jenis-barang/{r.kind}",
            "/omzet/impor",
            f"/omzet/impor/{r.import_job}",
            "/pemerataan/simulasi/",
            f"/pemerataan/simulasi/{r.whatif_job}",
            f"/katalog/umkm/{r.maker}",
        ],
        "opd": [
            "/opd/",
            "/katalog/",
            f"/katalog/produk/{r.product}",
            f"/katalog/umkm/{r.maker}",
            "/pengadaan/permintaan",
            "/pengadaan/permintaan/baru",
            ranking,
            f"/pengadaan/permintaan/{r.ordered}",
            f"/pengadaan/permintaan/{r.draft}",
            f"/pengadaan/permintaan/{r.draft}/ubah",
            f"/pengadaan/permintaan/{r.draft}/batal",
            "/pengadaan/pesanan",
            f"/pengadaan/pesanan/{r.order}",
            *r.payment_pages,
            "/pemerataan/",
            "/dokumen/",
            "/akun/kata-sandi",
        ],
        "umkm": [
            "/umkm/",
            "/umkm/profil",
            "/umkm/produk",
            "/umkm/produk/baru",
            f"/umkm/produk/{r.product}/ubah",
            "/omzet/",
            f"/omzet/koreksi/{r.period}",
            "/pengadaan/pesanan-masuk",
            f"/pengadaan/pesanan/{r.order}",
            "/umkm/surat-keterangan/",
            f"/umkm/surat-keterangan/{r.statement}",
            "/katalog/",
            f"/katalog/produk/{r.product}",
            f"/katalog/umkm/{r.maker}",
            "/dokumen/",
            "/akun/kata-sandi",
        ],
        "inspector": [
            *_admin_reads(r),
            "/pemeriksaan/",
            "/pemeriksaan/pesanan",
            "/pemeriksaan/tanda-bahaya",
        ],
    }


# The markup is the same on both databases and a sweep takes minutes: SQLite only. The daily
# journeys (test_daily_journeys.py) drive the same pages on both.
@pytest.fixture(scope="module", params=["sqlite"])
def sweep(request: pytest.FixtureRequest) -> Iterator[Sweep]:
    with demo_site(request, request.param) as site:
        waiting = open_request(site.app, "Kemeja batik seragam guru", allocate=True)
        rows = _rows(site.app)
        ranking = f"/pengadaan/permintaan/{waiting}"
        logins = {
            "anon": "anon",
            "admin": ADMIN_EMAIL,
            "opd": OFFICER,
            "umkm": rows.maker_email,
            "inspector": INSPECTOR_EMAIL,
        }
        try:
            yield Sweep(site=site, logins=logins, pages=_pages(rows, ranking), ranking=ranking)
        finally:
            whatif_jobs.forget()


def _page(browser: Browser, site: DemoSite, who: str, width: str) -> Page:
    return browser_page(browser, site, width, None if who == "anon" else who)


# The elements whose right edge passes the viewport, widest first, leaving out those inside a
# box that scrolls or clips them (a wide table in its own scroller is fine): the page itself
# must not scroll sideways on a phone.
_SIDEWAYS = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    let text = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
    for (const c of el.classList) text += "." + c;
    const words = (el.innerText || el.value || "").trim().split(/\\s+/).join(" ");
    return text + (words ? ' "' + words.slice(0, 60) + '"' : "");
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || clipped(el)) continue;
    wide.push([box.right, name(el)]);
  }
  wide.sort((a, b) => b[0] - a[0]);
  return {
    scroll: document.documentElement.scrollWidth,
    width: width,
    widest: wide.slice(0, 3).map(([right, text]) => Math.round(right) + "px " + text),
    count: wide.length,
  };
}"""


# The elements whose own text runs past their box (a word wider than its column, a label
# longer than its button): the text spills over its neighbour or is cut. Text in a box that
# scrolls or clips on purpose, and visually hidden text, is left out.
_SPILLING = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.data.trim());
    if (!own || el.closest("svg, .visually-hidden")) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none") continue;
    if (style.overflowX !== "visible" || el.clientWidth === 0) continue;
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    let text = el.tagName.toLowerCase();
    for (const c of el.classList) text += "." + c;
    const words = (el.innerText || "").trim().split(/\\s+/).join(" ").slice(0, 60);
    found.push(text + ' "' + words + '" (' + el.scrollWidth + "px in " + el.clientWidth + "px)");
  }
  return found;
}"""


def spilling(page: Page, where: str) -> list[str]:
    """One line per element whose text is wider than the element."""
    return [f"{where}: text spills out of {found}" for found in page.evaluate(_SPILLING)]


def sideways(page: Page, where: str) -> list[str]:
    """One line when the page scrolls sideways: its width and the widest elements."""
    found = page.evaluate(_SIDEWAYS)
    if found is None:
        return []
    return [
        f"{where}: scrolls sideways ({found['scroll']}px in {found['width']}px; "
        f"{found['count']} elements pass the edge, the widest: " + "; ".join(found["widest"]) + ")"
    ]


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("role", ["anon", "admin", "opd", "umkm", "inspector"])
def test_no_serious_or_critical_violation(
    browser: Browser, sweep: Sweep, role: str, width: str
) -> None:
    who = sweep.logins[role]
    page = _page(browser, sweep.site, who, width)
    found: list[str] = []
    try:
        for path in sweep.pages[role]:
            response = page.goto(f"{sweep.site.base}{path}")
            assert response is not None
            if response.status != 200:
                found.append(f"{path}: HTTP {response.status}")
                continue
            if page.url.split("?")[0].endswith("/masuk") and who != "anon":
                found.append(f"{path}: sent to the login page")
                continue
            if page.url.split("?")[0] != f"{sweep.site.base}{path}":
                found.append(f"{path}: sent on to {page.url}")
                continue
            assert page.evaluate("document.documentElement.lang") == "id", path
            where = f"{role} {width}px {path}"
            found += violations(page, where) + spilling(page, where)
            if width == "390":
                found += sideways(page, where)
    finally:
        page.context.close()
    assert not found, f"{len(found)} serious or critical problems:\n" + "\n".join(found)


def _tab_to(page: Page, name: str, limit: int = 80) -> int:
    """Press Tab until the focused element's accessible text contains ``name``; presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.getAttribute('aria-label') || e.innerText || e.value || '') : ''; }"
        )
        if name in " ".join(str(text).split()):
            return presses
    raise AssertionError(f"{name!r} not reached with {limit} presses of Tab")


def _focus_is_visible(page: Page) -> None:
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"
    )
    style, width, shadow = outline
    assert (style != "none" and width >= 2) or shadow not in ("", "none"), outline


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_skip_link_then_primary_actions_by_keyboard(
    browser: Browser, sweep: Sweep, width: str
) -> None:
    anon = _page(browser, sweep.site, "anon", width)
    try:
        anon.goto(f"{sweep.site.base}/masuk")
        anon.keyboard.press("Tab")
        expect(anon.get_by_role("link", name="Langsung ke isi")).to_be_focused()
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        assert anon.url.endswith("#isi")
        # From the main content the form is filled and sent without a mouse.
        anon.keyboard.press("Tab")  # the first field of the main content
        expect(anon.get_by_label("E-mail")).to_be_focused()
        anon.keyboard.type(OFFICER)
        anon.keyboard.press("Tab")
        anon.keyboard.type(sweep.site.password)
        _tab_to(anon, "Masuk")
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        anon.wait_for_url(lambda url: "/masuk" not in url)

        # The officer's decision on a ranking: "Terima usulan" is reached by Tab and opened
        # with Enter; its "Ya, terima usulan" button is the next stops away.
        anon.goto(f"{sweep.site.base}{sweep.ranking}")
        _tab_to(anon, "Terima usulan", limit=150)
        _focus_is_visible(anon)
        anon.keyboard.press("Enter")
        _tab_to(anon, "Ya, terima usulan", limit=10)
        _focus_is_visible(anon)
    finally:
        anon.context.close()

    admin = _page(browser, sweep.site, ADMIN_EMAIL, width)
    try:
        admin.goto(f"{sweep.site.base}/admin/verifikasi")
        _tab_to(admin, "Periksa", limit=60)
        _focus_is_visible(admin)
    finally:
        admin.context.close()

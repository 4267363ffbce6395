"""Configuration read from the environment.

``PROCURE_ENV`` picks the class: ``development`` (default), ``production`` or ``testing``.
Production refuses to start without ``SECRET_KEY`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment cannot run the chosen configuration."""


def normalise_database_url(url: str) -> str:
    """Accept hosting providers' ``postgres://`` URLs and pick the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} harus bilangan bulat, bukan {raw!r}") from exc


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None  # a long registration form must not expire while typed on a phone
    # Request bodies (procure/body_limits.py): a form, unless the route takes a file (photo,
    # omzet import, PDF to verify), whose own limit then applies. 413 past it.
    FORM_MAX_BYTES = _int("PROCURE_FORM_MAX_BYTES", 1024 * 1024)
    VERIFY_UPLOAD_MAX_BYTES = _int("PROCURE_VERIFY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    MAX_CONTENT_LENGTH = FORM_MAX_BYTES  # per request in body_limits; this is the fallback
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN: every asset is served by the app itself
    BOOTSTRAP_BOOTSWATCH_THEME = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # The Pemda running this instance: printed on pages and, later, on documents.
    PEMDA_NAME = os.environ.get("PROCURE_PEMDA_NAME", "Pemerintah Kota Sukamaju")
    PEMDA_CITY = os.environ.get("PROCURE_PEMDA_CITY", "Sukamaju")
    TIMEZONE = "Asia/Jakarta"
    # OCDS ocid prefix registered with the Open Contracting Partnership (ocds-xxxxxx).
    OCDS_OCID_PREFIX = os.environ.get("PROCURE_OCDS_OCID_PREFIX", "ocds-procur")

    # Login throttling (procure/auth/throttle_rules.py): after this many failures an account
    # is slowed down (one attempt per growing interval, never locked), an address is paused
    # after 4 × as many; a window without attempts clears a counter. Kept in the database so
    # it holds across servers.
    LOGIN_MAX_FAILURES = _int("PROCURE_LOGIN_MAX_FAILURES", 5)
    LOGIN_WINDOW_MINUTES = _int("PROCURE_LOGIN_WINDOW_MINUTES", 15)
    # "Lupa kata sandi" (procure/auth/reset.py, docs/accounts.md): a reset link is valid this
    # many minutes and once; the link starts with PUBLIC_BASE_URL (below).
    PASSWORD_RESET_MINUTES = _int("PROCURE_PASSWORD_RESET_MINUTES", 60)
    # Proxies (load balancer, nginx) in front of the app that set X-Forwarded-For: the client
    # address is taken that many hops back. 0 trusts no header (a client could forge it).
    PROXY_COUNT = _int("PROCURE_PROXY_COUNT", 0)

    # Product rules: a photo's size limit and the sanity ceilings that catch typos.
    PHOTO_MAX_BYTES = _int("PROCURE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
    PRODUCT_MAX_UNIT_PRICE = _int("PROCURE_PRODUCT_MAX_UNIT_PRICE", 1_000_000_000)
    PRODUCT_MAX_MONTHLY_CAPACITY = _int("PROCURE_PRODUCT_MAX_MONTHLY_CAPACITY", 1_000_000)
    PRODUCT_MAX_LEAD_TIME_DAYS = _int("PROCURE_PRODUCT_MAX_LEAD_TIME_DAYS", 365)
    CATALOG_PAGE_SIZE = 24
    # Seconds each worker keeps the catalog's filter options (procure/catalog/options.py).
    CATALOG_OPTIONS_TTL = _int("PROCURE_CATALOG_OPTIONS_TTL", 30)
    CATALOG_RESULTS_KEPT = _int("PROCURE_CATALOG_RESULTS_KEPT", 200)

    # Omzet: filing for month M is on time until this day of M+1; a monthly figure above the
    # ceiling is taken for a typo (an extra 000) and refused.
    OMZET_DEADLINE_DAY = _int("PROCURE_OMZET_DEADLINE_DAY", 10)
    OMZET_MAX_MONTHLY = _int("PROCURE_OMZET_MAX_MONTHLY", 50_000_000_000)
    OMZET_IMPORT_MAX_BYTES = _int("PROCURE_OMZET_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    # What an import file may hold, checked before it is parsed (procure/omzet/imports/bounds.py):
    # rows (header included; a Pemda with 100,000 UMKM imports a month at a time), columns,
    # characters in a NIB/periode/omzet cell, an XLSX inflated and its shared strings.
    OMZET_IMPORT_MAX_ROWS = _int("PROCURE_OMZET_IMPORT_MAX_ROWS", 200_000)
    OMZET_IMPORT_MAX_COLUMNS = _int("PROCURE_OMZET_IMPORT_MAX_COLUMNS", 26)
    OMZET_IMPORT_MAX_CELL_CHARS = _int("PROCURE_OMZET_IMPORT_MAX_CELL_CHARS", 100)
    OMZET_IMPORT_MAX_UNZIPPED_BYTES = _int("PROCURE_OMZET_IMPORT_MAX_UNZIPPED_BYTES", 128 << 20)
    OMZET_IMPORT_MAX_SHARED_STRINGS_BYTES = _int(
        "PROCURE_OMZET_IMPORT_MAX_SHARED_STRINGS_BYTES", 32 << 20
    )
    # From this many rows the admin page runs the import as a job with a progress page (RQ
    # queue OMZET_IMPORT_QUEUE with REDIS_URL, else a thread of the app process).
    OMZET_IMPORT_QUEUE_ROWS = _int("PROCURE_OMZET_IMPORT_QUEUE_ROWS", 5_000)
    OMZET_IMPORT_QUEUE = os.environ.get("PROCURE_OMZET_IMPORT_QUEUE", "procure-imports")

    # The allocation policy (docs/allocation-policy.md): pemerataan-v2 (default: by product
    # kind, rounds before need) or pemerataan-v1 (by category, need first). Every run stores
    # which one decided it, so runs of either stay readable whatever is chosen later.
    ALLOCATION_POLICY = os.environ.get("PROCURE_ALLOCATION_POLICY", "") or "pemerataan-v2"
    # Purchase requests and the pemerataan settings (stored with every allocation run).
    ECATALOG_VALUE_CAP = _int("PROCURE_ECATALOG_VALUE_CAP", 50_000_000)  # Blangkon: Rp50 jt
    SPLIT_WINDOW_DAYS = _int("PROCURE_SPLIT_WINDOW_DAYS", 14)
    RESPONSE_WORKING_DAYS = _int("PROCURE_RESPONSE_WORKING_DAYS", 3)
    ALLOCATION_MAX_SUPPLIERS = _int("PROCURE_ALLOCATION_MAX_SUPPLIERS", 3)
    ANNUAL_AWARD_CAP = _int("PROCURE_ANNUAL_AWARD_CAP", 0)  # 0: off (E-Peken uses 30 jt)
    NEW_SUPPLIER_GRACE_DAYS = _int("PROCURE_NEW_SUPPLIER_GRACE_DAYS", 60)
    SPLIT_MODE = os.environ.get("PROCURE_SPLIT_MODE", "capacity")
    MIN_LOT = _int("PROCURE_MIN_LOT", 1)
    # From this many offers in a category the ranking walks the stored per-UMKM figures and
    # stores the top of the ranking (docs/decisions/0008-allocation-at-scale.md).
    ALLOCATION_FAST_PATH_MIN_OFFERS = _int("PROCURE_ALLOCATION_FAST_PATH_MIN_OFFERS", 200)
    # Inspector's red flag: more days than this from handover (BAST) to payment, or unpaid
    # that long after the handover (SIPLah pays within a day; micro businesses cannot wait).
    PAYMENT_DAYS_FLAG = _int("PROCURE_PAYMENT_DAYS_FLAG", 14)

    # PBJP documents. The QR code on every PDF opens PUBLIC_BASE_URL + /verifikasi/<id>; the
    # number pattern and archive classification follow the Pemda's tata naskah; taxes change
    # by regulation, so their rates are settings (decimal strings).
    PUBLIC_BASE_URL = os.environ.get("PROCURE_PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    DOCUMENT_NUMBER_PATTERN = os.environ.get(
        "PROCURE_DOCUMENT_NUMBER_PATTERN",
        "{klasifikasi}/{urut:03d}/{jenis}/{kode_opd}/{bulan_romawi}/{tahun}",
    )
    DOCUMENT_KLASIFIKASI = os.environ.get("PROCURE_DOCUMENT_KLASIFIKASI", "000.3.2")
    DELIVERY_PAYMENT_DAYS = _int("PROCURE_DELIVERY_PAYMENT_DAYS", 14)  # pay within N days of BAST
    TAX_PPN_RATE = os.environ.get("PROCURE_TAX_PPN_RATE", "0.11")
    TAX_PPH22_RATE = os.environ.get("PROCURE_TAX_PPH22_RATE", "0.015")
    TAX_PPH23_RATE = os.environ.get("PROCURE_TAX_PPH23_RATE", "0.02")
    TAX_PPH_FINAL_RATE = os.environ.get("PROCURE_TAX_PPH_FINAL_RATE", "0.005")
    METERAI_THRESHOLD = _int("PROCURE_METERAI_THRESHOLD", 5_000_000)
    # Rendering: through RQ on Redis when set (``procure worker``), in-process otherwise.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    DOCUMENT_QUEUE = os.environ.get("PROCURE_DOCUMENT_QUEUE", "procure-documents")
    # What-if replays (/pemerataan/simulasi): on this queue with REDIS_URL, else a thread.
    WHATIF_QUEUE = os.environ.get("PROCURE_WHATIF_QUEUE", "procure-whatif")
    # The public page /transparansi keeps a period's report this many seconds per process (and
    # lets browsers and shared caches keep an anonymous visitor's copy as long); 0: no keeping.
    TRANSPARENCY_CACHE_SECONDS = _int("PROCURE_TRANSPARENCY_CACHE_SECONDS", 300)
    # Pemerataan reports are stored built (table spread_report, docs/pemerataan.md
    # "Freshness"): a page shows the stored one and refreshes it in the background (on
    # SPREAD_QUEUE with REDIS_URL, else a thread) when the data changed, unless it is older
    # than this and the data changed, then it is built in the request. 0: always built.
    SPREAD_MAX_AGE_SECONDS = _int("PROCURE_SPREAD_MAX_AGE_SECONDS", 900)
    SPREAD_QUEUE = os.environ.get("PROCURE_SPREAD_QUEUE", "procure-spread")
    # Summaries of the big lists kept per process this many seconds (procure/kept.py), dropped
    # at once by a change flushed in that process: the order list's days from handover to
    # payment, the omzet compliance page's counts. 0: read on every view.
    ORDER_PAYMENT_TOTALS_TTL = _int("PROCURE_ORDER_PAYMENT_TOTALS_TTL", 60)
    OMZET_COMPLIANCE_COUNT_TTL = _int("PROCURE_OMZET_COMPLIANCE_COUNT_TTL", 60)
    # The inspector's red flags (home counts, the newest flags of each filter) kept per worker
    # this many seconds once the register is large (procure/inspection/kept.py). 0: every view.
    RED_FLAGS_TTL = _int("PROCURE_RED_FLAGS_TTL", 300)

    # Notifications (docs/notifications.md): e-mail over SMTP, WhatsApp through a provider,
    # both through the outbox; sent after the commit (NOTIFY_QUEUE with REDIS_URL, else a
    # thread) and by ``procure notify send``. No SMTP host: printed to the console in
    # development, off (messages "skipped") in production. WhatsApp is off unless set.
    SMTP_HOST = os.environ.get("PROCURE_SMTP_HOST", "")
    SMTP_PORT = _int("PROCURE_SMTP_PORT", 587)
    SMTP_USERNAME = os.environ.get("PROCURE_SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("PROCURE_SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("PROCURE_SMTP_STARTTLS", "true").lower() in ("1", "true", "ya")
    SMTP_SSL = os.environ.get("PROCURE_SMTP_SSL", "false").lower() in ("1", "true", "ya")
    SMTP_TIMEOUT = _int("PROCURE_SMTP_TIMEOUT", 20)
    MAIL_FROM = os.environ.get("PROCURE_MAIL_FROM", "Procure <noreply@procure.local>")
    WA_PROVIDER = os.environ.get("PROCURE_WA_PROVIDER", "")  # "", "meta" or "http"
    WA_META_TOKEN = os.environ.get("PROCURE_WA_META_TOKEN", "")
    WA_META_PHONE_ID = os.environ.get("PROCURE_WA_META_PHONE_ID", "")
    WA_META_API_BASE = os.environ.get(
        "PROCURE_WA_META_API_BASE", "https://graph.facebook.com/v21.0"
    )
    WA_META_TEMPLATE = os.environ.get("PROCURE_WA_META_TEMPLATE", "")
    WA_META_TEMPLATE_LANG = os.environ.get("PROCURE_WA_META_TEMPLATE_LANG", "id")
    WA_HTTP_URL = os.environ.get("PROCURE_WA_HTTP_URL", "")
    WA_HTTP_TOKEN = os.environ.get("PROCURE_WA_HTTP_TOKEN", "")
    WA_HTTP_TOKEN_HEADER = os.environ.get("PROCURE_WA_HTTP_TOKEN_HEADER", "Authorization")
    WA_HTTP_FORMAT = os.environ.get("PROCURE_WA_HTTP_FORMAT", "form")  # "form" or "json"
    WA_HTTP_TARGET_FIELD = os.environ.get("PROCURE_WA_HTTP_TARGET_FIELD", "target")
    WA_HTTP_MESSAGE_FIELD = os.environ.get("PROCURE_WA_HTTP_MESSAGE_FIELD", "message")
    WA_TIMEOUT = _int("PROCURE_WA_TIMEOUT", 20)
    NOTIFY_MAX_ATTEMPTS = _int("PROCURE_NOTIFY_MAX_ATTEMPTS", 6)
    NOTIFY_STUCK_MINUTES = _int("PROCURE_NOTIFY_STUCK_MINUTES", 15)
    NOTIFY_BATCH = _int("PROCURE_NOTIFY_BATCH", 100)
    NOTIFY_QUEUE = os.environ.get("PROCURE_NOTIFY_QUEUE", "procure-notify")
    NOTIFY_AFTER_COMMIT = True  # start sending once a step that queued messages commits

    # Payments (docs/payments.md). The payment clock: an order must be paid
    # DELIVERY_PAYMENT_DAYS after its BAST, counted in working days (Monday to Friday, not a
    # holiday) when PAYMENT_TERM_WORKING_DAYS, else in calendar days. Holidays: dates
    # (YYYY-MM-DD) separated by commas or spaces in PAYMENT_HOLIDAYS and/or one per line in
    # the file PAYMENT_HOLIDAYS_FILE (text after "#" ignored). Reminders go to the officer and
    # the Bendahara PAYMENT_REMINDER_DAYS_BEFORE days before the due date and every
    # PAYMENT_REMINDER_EVERY_DAYS days after it. Cash from the UP (uang persediaan) is accepted
    # only up to PAYMENT_CASH_LIMIT Rupiah per payment.
    PAYMENT_TERM_WORKING_DAYS = os.environ.get(
        "PROCURE_PAYMENT_TERM_WORKING_DAYS", "false"
    ).lower() in ("1", "true", "ya")
    PAYMENT_HOLIDAYS = os.environ.get("PROCURE_PAYMENT_HOLIDAYS", "")
    PAYMENT_HOLIDAYS_FILE = os.environ.get("PROCURE_PAYMENT_HOLIDAYS_FILE", "")
    PAYMENT_REMINDER_DAYS_BEFORE = _int("PROCURE_PAYMENT_REMINDER_DAYS_BEFORE", 3)
    PAYMENT_REMINDER_EVERY_DAYS = _int("PROCURE_PAYMENT_REMINDER_EVERY_DAYS", 3)
    PAYMENT_CASH_LIMIT = _int("PROCURE_PAYMENT_CASH_LIMIT", 10_000_000)

    # Statements a bank verifies (docs/statements.md). With STATEMENT_APPROVAL an admin
    # approves each request before it is issued; otherwise it is issued at once. The
    # verification page allows STATEMENT_CHECK_LIMIT wrong access codes per statement and per
    # client address in STATEMENT_CHECK_WINDOW_MINUTES. STATEMENT_ISSUER is the unit printed
    # in the kop (the Pemda issues statements, not an OPD); STATEMENT_NUMBER_CODE takes the
    # place of the OPD code in their numbers.
    STATEMENT_APPROVAL = os.environ.get("PROCURE_STATEMENT_APPROVAL", "false").lower() in (
        "1",
        "true",
        "ya",
    )
    STATEMENT_CHECK_LIMIT = _int("PROCURE_STATEMENT_CHECK_LIMIT", 5)
    STATEMENT_CHECK_WINDOW_MINUTES = _int("PROCURE_STATEMENT_CHECK_WINDOW_MINUTES", 15)
    STATEMENT_ISSUER = os.environ.get(
        "PROCURE_STATEMENT_ISSUER", "Dinas Koperasi dan Usaha Kecil Menengah"
    )
    STATEMENT_NUMBER_CODE = os.environ.get("PROCURE_STATEMENT_NUMBER_CODE", "PEMDA")

    # Seals (docs/seals.md): with a certificate every document issued from then on carries a
    # PAdES signature, the Pemda's e-seal. SEAL_PKCS12_FILE with its passphrase in
    # SEAL_PKCS12_PASSPHRASE; or a PKCS#11 token (SEAL_PKCS11_MODULE, SEAL_PKCS11_TOKEN,
    # SEAL_PKCS11_KEY_LABEL, SEAL_PKCS11_PIN); or BSrE's signing API (SEAL_BSRE_URL with
    # SEAL_BSRE_USERNAME, SEAL_BSRE_PASSWORD, SEAL_BSRE_ID). SEAL_TSA_URL adds a timestamp.
    SEAL_PKCS12_FILE = os.environ.get("PROCURE_SEAL_PKCS12_FILE", "")
    SEAL_PKCS12_PASSPHRASE = os.environ.get("PROCURE_SEAL_PKCS12_PASSPHRASE", "")
    SEAL_PKCS11_MODULE = os.environ.get("PROCURE_SEAL_PKCS11_MODULE", "")
    SEAL_PKCS11_TOKEN = os.environ.get("PROCURE_SEAL_PKCS11_TOKEN", "")
    SEAL_PKCS11_KEY_LABEL = os.environ.get("PROCURE_SEAL_PKCS11_KEY_LABEL", "")
    SEAL_PKCS11_PIN = os.environ.get("PROCURE_SEAL_PKCS11_PIN", "")
    SEAL_BSRE_URL = os.environ.get("PROCURE_SEAL_BSRE_URL", "")
    SEAL_BSRE_USERNAME = os.environ.get("PROCURE_SEAL_BSRE_USERNAME", "")
    SEAL_BSRE_PASSWORD = os.environ.get("PROCURE_SEAL_BSRE_PASSWORD", "")
    SEAL_BSRE_ID = os.environ.get("PROCURE_SEAL_BSRE_ID", "")
    SEAL_TSA_URL = os.environ.get("PROCURE_SEAL_TSA_URL", "")
    SEAL_TIMEOUT = _int("PROCURE_SEAL_TIMEOUT", 30)
    # The certificates (PEM or DER, several PEM in one file) a seal must chain to for the
    # verification page to call it valid; empty: the configured certificate and its chain.
    SEAL_TRUST_ROOTS = os.environ.get("PROCURE_SEAL_TRUST_ROOTS", "")

    @classmethod
    def load(cls) -> dict[str, object]:
        """Return the settings as a dict, filling what comes from the environment."""
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        url = os.environ.get("DATABASE_URL")
        if url:
            values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
        key = os.environ.get("SECRET_KEY")
        if key:
            values["SECRET_KEY"] = key
        return values


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105 - the test suite's own key
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    TRANSPARENCY_CACHE_SECONDS = 0  # the app outlives a test's database: keep no report
    SPREAD_MAX_AGE_SECONDS = 0  # pages build afresh; the store's tests turn it on
    ORDER_PAYMENT_TOTALS_TTL = 0  # the app outlives a test's database; tests turn them on
    CATALOG_OPTIONS_TTL = 0  # likewise; tests/functional/test_catalog_options_cache.py turns it on
    CATALOG_RESULTS_KEPT = 0  # likewise; tests/functional/test_catalog_kept_results.py turns it on
    OMZET_COMPLIANCE_COUNT_TTL = 0
    RED_FLAGS_TTL = 0  # likewise; tests/functional/test_inspection_flags_kept.py turns it on
    NOTIFY_AFTER_COMMIT = False  # messages wait in the outbox; the notify tests send them


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def load(cls) -> dict[str, object]:
        values = super().load()
        missing = [
            name
            for name, key in (
                ("SECRET_KEY", "SECRET_KEY"),
                ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
            )
            if not values.get(key)
        ]
        if missing:
            raise ConfigError(
                "Mode produksi menolak berjalan tanpa " + " dan ".join(missing) + " di environment."
            )
        return values


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def load_config(instance_path: str, env_name: str | None = None) -> dict[str, object]:
    """Settings for ``env_name`` (default ``PROCURE_ENV``) with environment-derived defaults."""
    name = env_name or os.environ.get("PROCURE_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"PROCURE_ENV tidak dikenal: {name!r} (pilih {', '.join(CONFIGS)})")
    values = CONFIGS[name].load()
    check_allocation_policy(values.get("ALLOCATION_POLICY"))
    check_payment_term(values)
    if not values.get("SQLALCHEMY_DATABASE_URI"):
        values["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(instance_path) / "procure.db")
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = _development_secret(instance_path)
    return values


ALLOCATION_POLICIES = ("pemerataan-v2", "pemerataan-v1")


def check_allocation_policy(name: object) -> str:
    """The policy named by ``PROCURE_ALLOCATION_POLICY``; a ConfigError at start-up otherwise."""
    if name not in ALLOCATION_POLICIES:
        raise ConfigError(
            f"PROCURE_ALLOCATION_POLICY tidak dikenal: {name!r}. Pilih salah satu: "
            + ", ".join(ALLOCATION_POLICIES)
            + " (bawaan: pemerataan-v2)."
        )
    return str(name)


def check_payment_term(values: dict[str, object]) -> None:
    """The payment term and holidays (docs/payment-clock.md); a ConfigError at start-up when
    PROCURE_PAYMENT_HOLIDAYS holds something that is not a date or the holidays file cannot
    be read, rather than at the first handover."""
    from procure.payments.calendar import payment_term
    from procure.umkm.rules import RuleError

    try:
        payment_term(values)
    except RuleError as exc:
        raise ConfigError(str(exc)) from exc
    except OSError as exc:
        path = values.get("PAYMENT_HOLIDAYS_FILE")
        raise ConfigError(
            f"PROCURE_PAYMENT_HOLIDAYS_FILE tidak bisa dibaca: {path} ({exc.strerror or exc})"
        ) from exc


def _development_secret(instance_path: str) -> str:
    """A random key kept in the instance folder so dev sessions survive a restart."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key

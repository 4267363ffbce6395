"""Import every model so metadata is complete (Alembic and the app factory use this)."""

# Session listeners that keep product.is_listed current (imported for their side effect).
import procure.catalog.listing  # noqa: F401
import procure.documents.guard  # noqa: F401 - issued documents are never changed or deleted
from procure.audit.models import AuditLog
from procure.auth.models import LoginAttempt, PasswordResetToken, User
from procure.catalog.models import Category, Kecamatan, Kelurahan
from procure.documents.models import Document, DocumentFile, KopEmblem
from procure.notify.models import OutboxMessage
from procure.omzet.models import OmzetImport, OmzetImportJob, OmzetReport
from procure.opd.models import Opd, OpdBudget
from procure.payments.models import Payment
from procure.procurement.models import (
    AllocationRun,
    DeliveryPhoto,
    OrderEvent,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.spread.models import StoredSpreadReport
from procure.statements.models import Statement, StatementCheck
from procure.umkm.models import Product, ProductPhoto, Umkm, UmkmReview, umkm_category

__all__ = [
    "Payment",
    "Statement",
    "StatementCheck",
    "DeliveryPhoto",
    "OutboxMessage",
    "KopEmblem",
    "PasswordResetToken",
    "AuditLog",
    "Category",
    "Document",
    "DocumentFile",
    "Kecamatan",
    "Kelurahan",
    "LoginAttempt",
    "OmzetImport",
    "OmzetImportJob",
    "OmzetReport",
    "Opd",
    "OpdBudget",
    "OrderEvent",
    "PurchaseOrder",
    "PurchaseRequest",
    "StoredSpreadReport",
    "AllocationRun",
    "Product",
    "ProductPhoto",
    "Umkm",
    "UmkmReview",
    "User",
    "umkm_category",
]

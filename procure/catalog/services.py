"""Catalog use cases: categories, wilayah, and the product search."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from procure.catalog.models import Category

# The categories every Pemda starts with (issue 2); admins add or deactivate more.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("konsumsi", "Konsumsi / Katering"),
    ("seragam", "Seragam / Konveksi"),
    ("batik", "Batik"),
    ("sepatu", "Sepatu"),
    ("atk", "Alat Tulis Kantor (ATK)"),
    ("percetakan", "Percetakan"),
    ("kerajinan", "Kerajinan / Suvenir"),
)


def ensure_default_categories(session: Session) -> int:
    """Add any missing default category; returns how many were added."""
    existing = set(session.scalars(select(Category.slug)))
    added = 0
    for order, (slug, name) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            session.add(Category(slug=slug, name=name, sort_order=order * 10))
            added += 1
    session.flush()
    return added

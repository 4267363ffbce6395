"""The catalog page's filter options (categories, kinds, kecamatan), kept per process.

The three lists change a few times a year (an admin adds a category or a kind), but the
catalog search asked for them on every request: three round trips and their objects, most of
a search's database time. ``filter_options`` keeps them per app for ``CATALOG_OPTIONS_TTL``
seconds (environment ``PROCURE_CATALOG_OPTIONS_TTL``, default 30). A change made through
this process (a flush that adds, edits or deletes a category, a kind, a kecamatan or a
kelurahan) drops them at once, so the admin who made it sees it on the next page; the other
worker processes see it within the TTL (the pattern of ``procure/kept.py``).

The testing configuration sets 0 (read on every request): the test suite swaps the database
under one app between tests, which no flush reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from procure.catalog.models import Category, Kecamatan, Kelurahan, ProductKind
from procure.catalog.services import (
    KindFilterGroup,
    Option,
    category_options,
    kecamatan_options,
    kind_filter_groups,
)
from procure.kept import Kept

DEFAULT_TTL_SECONDS = 30.0


@dataclass(frozen=True)
class FilterOptions:
    categories: tuple[Option, ...]
    kecamatans: tuple[Option, ...]
    kind_groups: tuple[KindFilterGroup, ...]


_KEPT: Kept[FilterOptions] = Kept(
    "catalog_options",
    (Category, ProductKind, Kecamatan, Kelurahan),
    "CATALOG_OPTIONS_TTL",
    DEFAULT_TTL_SECONDS,
)


def read_options(session: Session) -> FilterOptions:
    """The three lists from the database (three small queries)."""
    return FilterOptions(
        categories=tuple(category_options(session)),
        kecamatans=tuple(kecamatan_options(session)),
        kind_groups=tuple(kind_filter_groups(session)),
    )


def filter_options(session: Session, catalog_version: int | None = None) -> FilterOptions:
    """The catalog's filter options, read at most once per TTL (or after a change here).

    With the catalog's version (``procure/catalog/kept_results.py``), lists read for another
    version are read again: a change made in another worker then shows at once too."""
    return _KEPT.get(("options", catalog_version), lambda: read_options(session))


def forget() -> None:
    """Drop the kept lists of every app of this process (the next page reads them)."""
    _KEPT.forget()

"""Declarative base, naming convention, reusable column types and time helpers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, MetaData, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC (how every time is stored)."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime stored in UTC on every backend.

    SQLite keeps no offset, so values come back naive; this type puts UTC back on them,
    and refuses naive values on the way in so a local time can never sneak in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# Whole Rupiah. BIGINT: a year of a large OPD's spend passes 2^31.
Money = Annotated[int, mapped_column(BigInteger)]
Str20 = Annotated[str, 20]
Str50 = Annotated[str, 50]
Str100 = Annotated[str, 100]
Str200 = Annotated[str, 200]
Str255 = Annotated[str, 255]


class Base(DeclarativeBase):
    # One registry carries both the naming convention and the type map, so that
    # Flask-SQLAlchemy's db.Model subclass inherits them.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            dt.datetime: UTCDateTime(),
            str: Text(),
            Str20: String(20),
            Str50: String(50),
            Str100: String(100),
            Str200: String(200),
            Str255: String(255),
        },
    )


def include_object_for(dialect: str):  # type: ignore[no-untyped-def]
    """Alembic ``include_object``: skip model objects meant for another dialect only.

    ``Index.ddl_if(dialect=...)`` marks such indexes (the PostgreSQL trigram search index), so
    the drift check holds on SQLite and on PostgreSQL alike.
    """

    def include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        ddl_if = getattr(obj, "_ddl_if", None)
        if type_ == "index" and not reflected and ddl_if is not None and ddl_if.dialect:
            return bool(ddl_if.dialect == dialect)
        return True

    return include

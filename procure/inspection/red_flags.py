"""The red flags an auditor follows (DOMAIN.md, "What auditors look for"), read from the data.

One query per kind (plus one for UMKM names and one for order ranks), each narrowed in SQL as
far as the rule allows; the decision and the wording are in ``rules``. Omzet months below
platform sales come from ``procure.omzet.reading`` as they are, not recomputed here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from typing import Any

from sqlalchemy import Date, Integer, and_, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from procure.auth.models import User
from procure.clock import jakarta_date_or_none, midnight
from procure.clock_sql import jakarta_day, jakarta_month
from procure.inspection import repeats, rules
from procure.inspection.rules import RedFlag
from procure.omzet import reading
from procure.omzet.models import OmzetReport
from procure.omzet.rules import Period, last_months, omzet_flags
from procure.opd.models import Opd
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationRun,
    OrderStatus,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.ranking.stored_run import parts_from, proposal_of
from procure.umkm.models import Umkm, UmkmStatus


def _names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return dict(
        session.execute(select(Umkm.id, Umkm.business_name).where(Umkm.id.in_(wanted))).all()
    )


def _override_runs(
    session: Session,
    opd_id: int | None,
    *,
    with_result: bool = True,
    ids: Collection[int] | None = None,
) -> list[Any]:
    """Every overriding decision (or those of ``ids``); without its stored ranking
    (``result``, the bulk of a run) unless asked."""
    query = (
        select(
            AllocationRun.id,
            AllocationRun.request_id,
            AllocationRun.decided_at,
            AllocationRun.override_reason,
            AllocationRun.final_choice,
            *([AllocationRun.result] if with_result else []),
            PurchaseRequest.opd_id,
            Opd.name.label("opd"),
            User.full_name.label("decided_by"),
        )
        .join(PurchaseRequest, PurchaseRequest.id == AllocationRun.request_id)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .outerjoin(User, User.id == AllocationRun.decided_by_id)
        .where(AllocationRun.is_override.is_(True), AllocationRun.decided_at.is_not(None))
        .order_by(AllocationRun.id)
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    if ids is not None:
        query = query.where(AllocationRun.id.in_(sorted(ids)))
    return list(session.execute(query))


def _chosen(run: Any) -> list[int]:
    return [part.umkm_id for part in parts_from(run.final_choice)]


def override_flags(session: Session, runs: list[Any]) -> list[RedFlag]:
    """(a) Every decision that deviated from the policy's proposal, with reason and officer."""
    proposals = {r.id: [p.umkm_id for p in proposal_of(r.result)] for r in runs}
    names = _names(session, [u for r in runs for u in _chosen(r) + proposals[r.id]])
    return [
        RedFlag(
            kind="override",
            on=jakarta_date_or_none(run.decided_at) or dt.date.min,
            opd=run.opd,
            umkms=tuple(names.get(u, f"UMKM #{u}") for u in _chosen(run)),
            evidence=rules.override_text(
                run.override_reason,
                run.decided_by or "-",
                [names.get(u, f"UMKM #{u}") for u in proposals[run.id]],
                [names.get(u, f"UMKM #{u}") for u in _chosen(run)],
            ),
            request_id=run.request_id,
        )
        for run in runs
    ]


def repeat_flags(session: Session, runs: list[Any]) -> list[RedFlag]:
    """(f) One OPD choosing one UMKM again and again through overrides over lower needs.

    Only the runs choosing an OPD and UMKM pair chosen at least ``REPEAT_MIN_COUNT`` times can
    make a flag: their stored rankings alone are read (``runs`` may come without them)."""
    pairs = Counter((run.opd_id, u) for run in runs for u in set(_chosen(run)))
    runs = [
        run
        for run in runs
        if any(pairs[(run.opd_id, u)] >= repeats.REPEAT_MIN_COUNT for u in set(_chosen(run)))
    ]
    results: dict[int, Any] = {}
    if runs:
        results = {
            run_id: result
            for run_id, result in session.execute(
                select(AllocationRun.id, AllocationRun.result).where(
                    AllocationRun.id.in_([r.id for r in runs])
                )
            )
        }
    ranks: dict[tuple[int, int], int | None] = {}
    if runs:
        ranks = {
            (run_id, umkm_id): rank
            for run_id, umkm_id, rank in session.execute(
                select(PurchaseOrder.run_id, PurchaseOrder.umkm_id, PurchaseOrder.rank).where(
                    PurchaseOrder.run_id.in_([r.id for r in runs]),
                    PurchaseOrder.passed_from_id.is_(None),
                )
            )
        }
    choices = []
    opd_names: dict[int, str] = {}
    for run in runs:
        ranking = repeats.stored_ranking(results.get(run.id) or {})
        chosen = set(_chosen(run))
        opd_names[run.opd_id] = run.opd
        for umkm_id in chosen:
            choices.append(
                repeats.OverrideChoice(
                    opd_id=run.opd_id,
                    umkm_id=umkm_id,
                    request_id=run.request_id,
                    decided_on=jakarta_date_or_none(run.decided_at) or dt.date.min,
                    passed_over=repeats.passed_over(
                        ranking, chosen, umkm_id, ranks.get((run.id, umkm_id))
                    ),
                )
            )
    found = repeats.repeated_choices(choices)
    names = _names(session, [f.umkm_id for f in found])
    return [
        RedFlag(
            kind="repeat_umkm",
            on=f.last_on,
            opd=opd_names[f.opd_id],
            umkms=(names.get(f.umkm_id, f"UMKM #{f.umkm_id}"),),
            evidence=repeats.repeated_text(f),
            request_id=f.request_ids[-1],
            earlier_request_ids=f.request_ids[:-1],
        )
        for f in found
    ]


def request_flags(session: Session, kinds: Collection[str], opd_id: int | None) -> list[RedFlag]:
    """(b) portions above attendees and (c) possible package splitting, from the requests."""
    wants_excess, wants_split = "excess_portions" in kinds, "split_suspect" in kinds
    if not (wants_excess or wants_split):
        return []
    flagged = []
    if wants_excess:
        flagged.append(PurchaseRequest.is_excess_portions.is_(True))
    if wants_split:
        flagged.append(PurchaseRequest.is_split_suspect.is_(True))
    query = (
        select(PurchaseRequest, Opd.name)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .where(
            PurchaseRequest.status != RequestStatus.CANCELLED.value,
            or_(*flagged),
        )
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    requests = list(session.execute(query))
    suppliers: dict[int, list[str]] = defaultdict(list)
    if requests:
        for request_id, name in session.execute(
            select(PurchaseOrder.request_id, Umkm.business_name)
            .join(Umkm, Umkm.id == PurchaseOrder.umkm_id)
            .where(PurchaseOrder.request_id.in_([r.id for r, _ in requests]))
            .order_by(PurchaseOrder.id)
        ):
            if name not in suppliers[request_id]:
                suppliers[request_id].append(name)
    flags = []
    for request, opd in requests:
        found = []
        if wants_excess and request.is_excess_portions:
            text = rules.excess_portions_text(
                request.quantity,
                request.unit,
                request.expected_attendees or 0,
                request.event_name,
                request.excess_reason,
            )
            found.append(("excess_portions", text))
        if wants_split and request.is_split_suspect:
            value = request.quantity * request.hps_unit_price
            found.append(("split_suspect", rules.split_text(value, request.split_note)))
        flags += [
            RedFlag(
                kind=flag_kind,
                on=jakarta_date_or_none(request.created_at) or dt.date.min,
                opd=opd,
                umkms=tuple(suppliers[request.id]),
                evidence=text,
                request_id=request.id,
            )
            for flag_kind, text in found
        ]
    return flags


def _order_columns() -> tuple[Any, ...]:
    return (
        PurchaseOrder.id,
        PurchaseOrder.request_id,
        PurchaseOrder.value,
        PurchaseOrder.due_date,
        PurchaseOrder.delivered_at,
        PurchaseOrder.handed_over_at,
        PurchaseOrder.handover_date,
        PurchaseOrder.paid_on,
        PurchaseOrder.payment_due_date,
        # The gross (net transferred + PPh withheld): what the penalty is checked against.
        # Orders paid before the gross was recorded kept it in payment_amount.
        func.coalesce(PurchaseOrder.payment_gross, PurchaseOrder.payment_amount).label(
            "payment_amount"
        ),
        Opd.name.label("opd"),
        Umkm.business_name.label("umkm"),
    )


def _orders(*columns: Any) -> Any:
    return (
        select(*columns)
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .join(Umkm, Umkm.id == PurchaseOrder.umkm_id)
    )


def late_without_penalty(session: Session, opd_id: int | None) -> list[RedFlag]:
    """(d) Paid orders delivered late whose payment was not reduced by the late penalty."""
    query = _orders(*_order_columns()).where(
        PurchaseOrder.status == OrderStatus.PAID.value,
        PurchaseOrder.payment_amount.is_not(None),
        PurchaseOrder.delivered_at.is_not(None),
        jakarta_day(PurchaseOrder.delivered_at, session) > PurchaseOrder.due_date,
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    flags = []
    for row in session.execute(query):
        delivered_on = jakarta_date_or_none(row.delivered_at)
        found = rules.uncharged_penalty(row.value, row.due_date, delivered_on, row.payment_amount)
        if found is None or delivered_on is None:
            continue
        flags.append(
            RedFlag(
                kind="late_no_penalty",
                on=row.paid_on or delivered_on,
                opd=row.opd,
                umkms=(row.umkm,),
                evidence=rules.uncharged_penalty_text(found, row.due_date, delivered_on),
                request_id=row.request_id,
                order_id=row.id,
            )
        )
    return flags


def _handed_over_on(session: Session) -> Any:
    """The serah terima date chosen, or (recorded before it was asked) the day it was recorded."""
    return func.coalesce(
        PurchaseOrder.handover_date, jakarta_day(PurchaseOrder.handed_over_at, session)
    )


def _days_between(later: Any, earlier: Any, session: Session) -> Any:
    """Whole days from one calendar date to another, in SQL (both dialects)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(later, Date) - cast(earlier, Date)
    return func.julianday(later) - func.julianday(earlier)


def _plus_days(day: Any, days: int, session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        return cast(day, Date) + days
    return func.date(day, f"+{days} days")


def _slow_query(
    session: Session, opd_id: int | None, today: dt.date, limit: int, *columns: Any
) -> Any:
    """Orders whose handover is more than ``limit`` days before their payment (or today, while
    unpaid): ``rules.slow_payment_days`` in SQL, so only flagged orders leave the database."""
    paid_or_today = func.coalesce(PurchaseOrder.paid_on, today)
    query = _orders(*columns).where(
        PurchaseOrder.handed_over_at.is_not(None),
        _days_between(paid_or_today, _handed_over_on(session), session) > limit,
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    return query


def _slow_on(session: Session, limit: int) -> Any:
    """The day a slow payment became a flag: its payment, or the first day past the limit."""
    return func.coalesce(
        PurchaseOrder.paid_on, _plus_days(_handed_over_on(session), limit + 1, session)
    )


def slow_payments(
    session: Session,
    opd_id: int | None,
    today: dt.date,
    limit: int,
    *,
    first: int | None = None,
    since: dt.date | None = None,
) -> list[RedFlag]:
    """(e) Handed over and paid (or still unpaid) more than ``limit`` days later; newest first,
    only the ``first`` newest when given (a year of orders can hold tens of thousands), only
    those raised on or after ``since`` when given."""
    on = _slow_on(session, limit)
    query = _slow_query(session, opd_id, today, limit, *_order_columns()).order_by(
        on.desc(), PurchaseOrder.request_id, PurchaseOrder.id
    )
    if since is not None:
        query = query.where(on >= since)
    if first is not None:
        query = query.limit(first)
    flags = []
    for row in session.execute(query):
        handed_over_on = row.handover_date or jakarta_date_or_none(row.handed_over_at)
        days = rules.slow_payment_days(handed_over_on, row.paid_on, today, limit)
        if days is None or handed_over_on is None:
            continue
        flags.append(
            RedFlag(
                kind="slow_payment",
                on=row.paid_on or handed_over_on + dt.timedelta(days=limit + 1),
                opd=row.opd,
                umkms=(row.umkm,),
                evidence=rules.slow_payment_text(days, handed_over_on, row.paid_on, limit),
                request_id=row.request_id,
                order_id=row.id,
            )
        )
    return flags


def slow_payment_count(
    session: Session,
    opd_id: int | None,
    today: dt.date,
    limit: int,
    since: dt.date | None = None,
) -> tuple[int, int]:
    """How many slow payment flags: all, and those raised on or after ``since`` (all when
    None), in one query."""
    return _flag_counts(
        session,
        lambda *columns: _slow_query(session, opd_id, today, limit, *columns),
        _slow_on(session, limit),
        since,
    )


def _flag_counts(
    session: Session, query: Callable[..., Any], on: Any, since: dt.date | None
) -> tuple[int, int]:
    """Of the orders ``query`` (given its columns) flags, in one query: how many, and how many
    became a flag (``on``) on or after ``since`` (all when None)."""
    recent: Any = func.count()
    if since is not None:
        recent = func.count().filter(on >= since)
    found = session.execute(query(func.count(), recent).select_from(PurchaseOrder)).one()
    return int(found[0] or 0), int(found[1] or 0)


def _overdue_query(session: Session, opd_id: int | None, today: dt.date, *columns: Any) -> Any:
    """Orders paid after their payment due date, or handed over, unpaid and past it:
    ``rules.overdue_payment_days`` in SQL, so only flagged orders leave the database."""
    due = PurchaseOrder.payment_due_date
    query = _orders(*columns).where(
        due.is_not(None),
        or_(
            PurchaseOrder.paid_on > due,
            and_(
                PurchaseOrder.paid_on.is_(None),
                PurchaseOrder.status == OrderStatus.RECEIVED.value,
                due < today,
            ),
        ),
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    return query


def _overdue_on(session: Session) -> Any:
    """The day an overdue payment became a flag: its payment, or the day after the due date."""
    return func.coalesce(
        PurchaseOrder.paid_on, _plus_days(PurchaseOrder.payment_due_date, 1, session)
    )


def overdue_payments(
    session: Session,
    opd_id: int | None,
    today: dt.date,
    *,
    first: int | None = None,
    since: dt.date | None = None,
) -> list[RedFlag]:
    """(e2) One flag per order paid after its payment due date or still unpaid past it, naming
    the days; newest first, only the ``first`` newest when given, only those raised on or
    after ``since`` when given."""
    on = _overdue_on(session)
    query = _overdue_query(session, opd_id, today, *_order_columns()).order_by(
        on.desc(), PurchaseOrder.request_id, PurchaseOrder.id
    )
    if since is not None:
        query = query.where(on >= since)
    if first is not None:
        query = query.limit(first)
    flags = []
    for row in session.execute(query):
        due = row.payment_due_date
        days = rules.overdue_payment_days(due, row.paid_on, today)
        if days is None or due is None:
            continue
        flags.append(
            RedFlag(
                kind="payment_overdue",
                on=row.paid_on or due + dt.timedelta(days=1),
                opd=row.opd,
                umkms=(row.umkm,),
                evidence=rules.overdue_payment_text(days, due, row.paid_on),
                request_id=row.request_id,
                order_id=row.id,
            )
        )
    return flags


def overdue_payment_count(
    session: Session, opd_id: int | None, today: dt.date, since: dt.date | None = None
) -> tuple[int, int]:
    """How many overdue payment flags: all, and those raised on or after ``since``."""
    return _flag_counts(
        session,
        lambda *columns: _overdue_query(session, opd_id, today, *columns),
        _overdue_on(session),
        since,
    )


def omzet_below_sales(session: Session, today: dt.date) -> list[RedFlag]:
    """(g) Months reported below platform sales: the omzet page's flags of that kind (the
    12 completed months before this one, verified UMKM), joined in SQL so only the months
    reported below the month's live orders leave the database."""
    as_of = Period.of(today)
    shown = last_months(as_of, reading.CHART_MONTHS)
    month = jakarta_month(PurchaseOrder.issued_at, session)
    sales = (
        select(
            PurchaseOrder.umkm_id,
            month.label("month"),
            func.sum(PurchaseOrder.value).label("sold"),
        )
        .where(
            PurchaseOrder.status.in_(sorted(LIVE_ORDER_STATUSES)),
            PurchaseOrder.issued_at >= midnight(shown[0].first_day),
            PurchaseOrder.issued_at < midnight(as_of.first_day),
        )
        .group_by(PurchaseOrder.umkm_id, month)
        .subquery("platform_sales")
    )
    # The month's current figure is its highest revision (``procure.omzet.latest``); tested
    # here only for the few figures below the month's sales rather than grouping every report.
    newer = aliased(OmzetReport)
    later_revision = (
        select(newer.id)
        .where(
            newer.umkm_id == OmzetReport.umkm_id,
            newer.period == OmzetReport.period,
            newer.revision > OmzetReport.revision,
        )
        .exists()
    )
    query = (
        select(
            OmzetReport.umkm_id,
            OmzetReport.period,
            OmzetReport.amount,
            sales.c.sold,
            Umkm.business_name,
        )
        .join(
            sales,
            and_(
                sales.c.umkm_id == OmzetReport.umkm_id,
                sales.c.month == cast(func.replace(OmzetReport.period, "-", ""), Integer),
            ),
        )
        .join(Umkm, Umkm.id == OmzetReport.umkm_id)
        .where(
            OmzetReport.period >= str(shown[0]),
            OmzetReport.period <= str(shown[-1]),
            Umkm.status == UmkmStatus.VERIFIED.value,
            OmzetReport.amount < sales.c.sold,
            ~later_revision,
        )
    )
    flags = []
    for umkm_id, period_text, amount, sold, business_name in session.execute(query):
        period = Period.parse(period_text)
        for found in omzet_flags({period: int(amount)}, {period: int(sold)}):
            if found.kind == "below_platform_sales":
                flags.append(
                    RedFlag(
                        kind="omzet_below_sales",
                        on=period.shift(1).first_day - dt.timedelta(days=1),
                        opd=None,
                        umkms=(business_name,),
                        evidence=found.message,
                        umkm_id=umkm_id,
                    )
                )
    return flags


def _flags(
    session: Session,
    today: dt.date,
    kinds: set[str],
    *,
    payment_days_limit: int,
    opd_id: int | None,
) -> list[RedFlag]:
    """Every flag of ``kinds`` but the slow payments (unsorted): few at any size."""
    flags: list[RedFlag] = []
    if kinds & {"override", "repeat_umkm"}:
        runs = _override_runs(session, opd_id)
        if "override" in kinds:
            flags += override_flags(session, runs)
        if "repeat_umkm" in kinds:
            flags += repeat_flags(session, runs)
    flags += request_flags(session, kinds, opd_id)
    if "late_no_penalty" in kinds:
        flags += late_without_penalty(session, opd_id)
    if "omzet_below_sales" in kinds and opd_id is None:
        flags += omzet_below_sales(session, today)
    return flags


def _kinds(kind: str | None) -> set[str]:
    return {kind} if kind is not None else set(rules.FLAG_KINDS)


def red_flags(
    session: Session,
    today: dt.date,
    *,
    payment_days_limit: int,
    kind: str | None = None,
    opd_id: int | None = None,
) -> list[RedFlag]:
    """Every red flag of ``kind`` (all kinds when None) for ``opd_id`` (all when None), newest
    first. Omzet flags belong to no OPD: an OPD filter leaves them out."""
    kinds = _kinds(kind)
    flags = _flags(session, today, kinds, payment_days_limit=payment_days_limit, opd_id=opd_id)
    if "slow_payment" in kinds:
        flags += slow_payments(session, opd_id, today, payment_days_limit)
    if "payment_overdue" in kinds:
        flags += overdue_payments(session, opd_id, today)
    return rules.sort_flags(flags)


def newest_flags(
    session: Session,
    today: dt.date,
    first: int,
    *,
    payment_days_limit: int,
    kind: str | None = None,
    opd_id: int | None = None,
    since: dt.date | None = None,
) -> tuple[list[RedFlag], int]:
    """The ``first`` newest flags of ``red_flags`` (same order), only those raised on or after
    ``since`` when given, and how many there are in all.

    Slow payments (one per order paid late: tens of thousands in a year) are counted and
    taken newest first in SQL; the other kinds are few and read whole."""
    kinds = _kinds(kind)
    runs = []
    if kinds & {"override", "repeat_umkm"}:
        runs = _override_runs(session, opd_id, with_result=False)
    others = kinds - {"override", "repeat_umkm"}
    flags = _flags(session, today, others, payment_days_limit=payment_days_limit, opd_id=opd_id)
    if "repeat_umkm" in kinds:
        flags += repeat_flags(session, runs)
    if "override" in kinds:
        # Sorted by what the order needs (day, request); the evidence only for those shown.
        flags += [
            RedFlag(
                kind="override",
                on=jakarta_date_or_none(run.decided_at) or dt.date.min,
                opd=run.opd,
                umkms=(),
                evidence="",
                request_id=run.request_id,
            )
            for run in runs
        ]
    if since is not None:
        flags = [f for f in flags if f.on >= since]
    total = len(flags)
    # The counts' second figure is "since" (all of them when it is None).
    if "slow_payment" in kinds:
        flags += slow_payments(session, opd_id, today, payment_days_limit, first=first, since=since)
        total += slow_payment_count(session, opd_id, today, payment_days_limit, since)[1]
    if "payment_overdue" in kinds:
        flags += overdue_payments(session, opd_id, today, first=first, since=since)
        total += overdue_payment_count(session, opd_id, today, since)[1]
    newest = rules.sort_flags(flags)[:first]
    shown = {f.request_id for f in newest if f.kind == "override"}
    if shown:
        ids = [run.id for run in runs if run.request_id in shown]
        whole = _override_runs(session, opd_id, ids=ids)
        by_request = {f.request_id: f for f in override_flags(session, whole)}
        newest = [by_request[f.request_id] if f.kind == "override" else f for f in newest]
    return newest, total


def flag_counts(
    session: Session, today: dt.date, since: dt.date, *, payment_days_limit: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Per kind (every kind, zero included): all flags, and those raised on or after ``since``."""
    # Overrides are one flag per decision on its day: counted without their evidence.
    runs = _override_runs(session, None, with_result=False)
    kinds = set(rules.FLAG_KINDS) - {"override", "repeat_umkm"}
    flags = _flags(session, today, kinds, payment_days_limit=payment_days_limit, opd_id=None)
    flags += repeat_flags(session, runs)
    counts = rules.count_by_kind(flags)
    recent = rules.count_by_kind(f for f in flags if f.on >= since)
    decided = [jakarta_date_or_none(run.decided_at) or dt.date.min for run in runs]
    counts["override"], recent["override"] = len(decided), sum(day >= since for day in decided)
    counts["slow_payment"], recent["slow_payment"] = slow_payment_count(
        session, None, today, payment_days_limit, since=since
    )
    counts["payment_overdue"], recent["payment_overdue"] = overdue_payment_count(
        session, None, today, since=since
    )
    return counts, recent

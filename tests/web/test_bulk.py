"""insert_rows: COPY on PostgreSQL, bulk_create elsewhere — the same rows either way.

The suite runs on SQLite and on PostgreSQL (.ci/run), so each path is exercised in its run.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from parindex.web.bulk import insert_rows
from parindex.web.periods.models import MethodologyVersion
from parindex.web.results.models import UnitResultRecord

# JSON text that COPY's row format must escape: tabs, newlines, backslashes, quotes, Vietnamese
AWKWARD = 'Số liệu "quý 4"\tcột 2\nDòng mới \\ gạch chéo \\N không phải NULL'


def _records(world):
    version = MethodologyVersion.objects.get()
    return [
        UnitResultRecord(
            period=world.period,
            unit=world.stp,
            group=world.stp.group,
            methodology=version,
            total=Decimal("59.2703"),
            max=Decimal("100"),
            index=Decimal("59.27"),
            rank=1,
            class_code="B",
            class_label="Khá",
            nodes={"1": ["3.50", "4"], "1.1": ["1", "1"]},
            inputs={"1.1": {"value": "yes", "note": AWKWARD}},
            exempt=["2"],
        ),
        UnitResultRecord(
            period=world.period,
            unit=world.syt,
            group=world.syt.group,
            methodology=version,
            total=Decimal("0"),
            max=Decimal("0"),
            index=None,
            rank=None,
        ),
    ]


def test_rows_are_stored_as_bulk_create_would(world):
    insert_rows(UnitResultRecord, _records(world))

    stp, syt = UnitResultRecord.objects.order_by("unit__code")
    assert stp.unit == world.stp and syt.unit == world.syt
    assert (stp.total, stp.max, stp.index, stp.rank) == (
        Decimal("59.2703"),
        Decimal("100"),
        Decimal("59.27"),
        1,
    )
    assert (stp.class_code, stp.class_label) == ("B", "Khá")
    assert stp.nodes == {"1": ["3.50", "4"], "1.1": ["1", "1"]}
    assert stp.inputs == {"1.1": {"value": "yes", "note": AWKWARD}}
    assert stp.exempt == ["2"]
    # the defaults and the nulls
    assert (syt.index, syt.rank, syt.nodes, syt.inputs, syt.exempt) == (None, None, {}, {}, [])
    # auto_now_add is filled in, as bulk_create does
    assert stp.computed_at is not None and syt.computed_at is not None


def test_a_conflicting_row_raises_djangos_error_and_the_transaction_keeps_nothing(world):
    first = _records(world)[:1]
    insert_rows(UnitResultRecord, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(UnitResultRecord, _records(world))  # STP again: unique per period and unit
    assert UnitResultRecord.objects.count() == 1

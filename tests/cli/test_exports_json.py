"""``parindex score --out KQ.json``: per unit, the lost points (as in the XLSX "Điểm bị mất"
sheet) and the applicable maximum of every node, so that a reader can compute percentages.
Existing keys are unchanged. Numbers as in test_score.py (tiny methodology)."""

from __future__ import annotations

import json
from decimal import Decimal

from .helpers import score_args

UNIT_KEYS = ["code", "name", "group", "total", "max", "index", "rank", "class", "areas", "nodes"]


def _units(run, files) -> dict[str, dict]:
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out))
    assert code == 0, err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["methodology", "units", "warnings"]
    return {u["code"]: u for u in doc["units"]}


def test_existing_keys_come_first_and_unchanged(run, files):
    units = _units(run, files)
    assert list(units["A"]) == [*UNIT_KEYS, "maxima", "lost"]
    assert units["A"]["total"] == "11.60" and units["A"]["nodes"]["2.1"] == "3.50"


def test_lost_points_largest_first(run, files):
    units = _units(run, files)
    assert units["A"]["lost"] == [
        {"code": "2.1", "max": "4.00", "points": "3.50", "lost": "0.50"},
        {"code": "3.1", "max": "2.00", "points": "1.60", "lost": "0.40"},
    ]
    # Same order as the XLSX sheet (test_score.py): largest loss first, then by node code.
    assert [x["code"] for x in units["B"]["lost"]] == ["2.1", "2.2", "1.2", "1.1", "3.1"]
    # D is exempt from area 2: nothing lost there; bonus and penalty items are never "lost".
    assert units["D"]["lost"] == [{"code": "1.1", "max": "1.00", "points": "0.00", "lost": "1.00"}]


def test_applicable_maxima_give_percentages(run, files):
    units = _units(run, files)
    c = units["C"]
    assert list(c["maxima"]) == list(c["nodes"])
    # 2.2 does not apply to central agencies: area 2 is out of 4 for C, not 6.
    assert (c["maxima"]["2"], c["maxima"]["2.2"], c["maxima"]["5"]) == ("4.00", None, "1.00")
    assert Decimal(c["nodes"]["2"]) / Decimal(c["maxima"]["2"]) * 100 == 100
    a = units["A"]
    assert Decimal(a["nodes"]["2.1"]) / Decimal(a["maxima"]["2.1"]) * 100 == Decimal("87.5")
    assert units["D"]["maxima"]["2"] is None and units["D"]["maxima"]["2.1"] is None

"""Golden cases written by hand, one YAML file each in ``golden/``.

A case holds ``methodology`` (the methodology YAML text), ``units`` and ``inputs`` (rows as in
the CSV files of docs/methodology-format.md §5) and ``expected``: per unit its total, maximum,
index, rank, class and the points of some nodes, worked out by hand in the comments. The
runner reads the rows with the same parsers as the command line and compares with ``Decimal``
equality. ``expected.findings`` lists the warning codes the engine must report.
"""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from parindex.core import compute, loads_methodology, parse_inputs, parse_units

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.yaml"))


def number(value: object) -> Decimal | None:
    """A number as written in the case file (YAML floats print back as written)."""
    return None if value is None else Decimal(str(value))


def rows(items: list[dict]) -> list[tuple[int, dict]]:
    """Rows numbered as in a CSV file with a header line."""
    return [
        (line, {k: "" if v is None else str(v) for k, v in item.items()})
        for line, item in enumerate(items, start=2)
    ]


def test_there_are_golden_cases():
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_case(path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    methodology = loads_methodology(case["methodology"], source=path.name)
    units = parse_units(rows(case["units"]), methodology)
    inputs = parse_inputs(rows(case["inputs"]), methodology, units)

    results = compute(methodology, units, inputs)

    expected = case["expected"]
    assert [f.code for f in results.findings] == expected.get("findings", [])
    for code, want in expected.items():
        if code == "findings":
            continue
        r = results.unit(code)
        got = {
            "total": r.total,
            "max": r.max,
            "index": r.index,
            "rank": r.rank,
            "class": r.klass.code if r.klass else None,
        }
        assert got == {
            "total": number(want["total"]),
            "max": number(want["max"]),
            "index": number(want["index"]),
            "rank": want["rank"],
            "class": want["class"],
        }, code
        for node, points in want.get("points", {}).items():
            assert r.points[node] == number(points), (code, node)
        for node, top in want.get("maxima", {}).items():
            assert r.maxima[node] == number(top), (code, node)
        for area, index in want.get("area_index", {}).items():
            assert r.percent(area) == number(index), (code, area)

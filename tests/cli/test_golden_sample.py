"""Golden test: the shipped department sample (so-ban-nganh-mau.yaml) on docs/examples.

Expected numbers are computed by hand from the methodology and docs/examples/inputs.csv.

SNV — Sở Nội vụ (department): every input at its best value, so every leaf reaches its maximum:
  standard areas 12 + 8 + 13 + 7 + 10 + 7 + 13 + 30 = 100 (nothing exempt, all apply);
  bonus 9.1.1 2 × 0.5 = 1, 9.1.2 có 0.5, 9.2.1 có 0.5, 9.2.2 4 × 0.25 = 1 → 3; penalty 0;
  total min(100, 100 + 3) = 100.00 / 100.00 → index 100.00, class A, rank 1 of 8 departments.

KBNN — Kho bạc Nhà nước khu vực X (central_agency). Not applicable to central agencies:
2.1 (3), 3.1.2 (1), 4.1.1 (1), 8.4.2 (2) → maximum 100 − 7 = 93.
  area 1 (12): 1.1.1 on_time 1 · 1.1.2 có 0.5 · 1.1.3 45/45 = 100 % → 1.5 · 1.2.1 0 lần → 1 ·
      1.2.2 có 0.5 · 1.3.1 1 × 5/7 = 0.714… → 0.71 · 1.3.2 all 1 · 1.4.1 có 0.5 ·
      1.4.2 8 tin < 12 → 0 · 1.5.1 recognized 2 · 1.6.1 20/20 → 2              = 10.71 / 12
  area 2 (5): 2.2.1 full 1 · 2.2.2 10/10 → 1 · 2.3.1 có 0.5 · 2.3.2 late 0.25 ·
      2.3.3 0.5 · 2.4.1 có 0.5 · 2.4.2 22/22 → 1                                   = 4.75 / 5
  area 3 (12): 3.1.1 full 1 · 3.1.3 có 1 · 3.2.1 100 % → 2 · 3.2.2 no_overdue 1 ·
      3.2.3 41/41 → 1 · 3.2.4 90,4 ≥ 90 → 1 · 3.3.1 9097/10449 = 87,06 % ≥ 80 → 1 ·
      3.3.2 1 × 95,3 % = 0.953 → 0.95 · 3.3.3 93,3 ≥ 50 → 1 · 3.4.1 12/12 → 1.5 ·
      3.4.2 có 0.5                                                                 = 11.95 / 12
  area 4 (6): 4.1.2 on_time 1 · 4.1.3 không (no deduction) 1 · 4.2.1 có 1 · 4.2.2 on_time 1 ·
      4.3.1 1 · 4.3.2 không 0                                                       = 5.00 / 6
  area 5 (10): 5.1.1 30/30 → 1 · 5.1.2 có 1 · 5.2.1 correct 1 · 5.2.2 không 0 ·
      5.2.3 on_time 1 · 5.2.4 8/8 → 1 · 5.3.1 min(1, 70/70) + 0.5 = 1.5 · 5.4.1 0 lần 1.5 ·
      5.4.2 1                                                                      = 9.00 / 10
  area 6 (7): 6.1.1 100 % → 1.5 · 6.1.2 1 · 6.1.3 0.5 × 45/45 = 0.5 · 6.2.1 1 ·
      6.2.2 increased 1 · 6.3.1 full 1 · 6.3.2 1                                   = 7.00 / 7
  area 7 (13): 7.1.1 0.5 · 7.1.2 30/30 done → 1.5 · 7.2.1 1.5 × 2250/2250 = 1.5 ·
      7.2.2 1 × 98 % = 0.98 · 7.2.3 0.5 · 7.2.4 97,9 ≥ 80 → 1 · 7.3.1 1.5 ·
      7.3.2 39/54 = 72,2 % → 0.5 · 7.4.1 1 · 7.4.2 0 lần 1 · 7.5.1 45/45 → 1 ·
      7.5.2 1 × 94,3 % = 0.943 → 0.94                                              = 11.92 / 13
  area 8 (28): 8.1.1 4 × 77,99 % = 3.1196 → 3.12 · 8.1.2 3 × 83,47 % = 2.5041 → 2.50 ·
      8.1.3 3 × 69,19 % = 2.0757 → 2.08 · 8.2.1 2 × 76,81 % = 1.5362 → 1.54 ·
      8.2.2 3 × 93,3 % = 2.799 → 2.80 · 8.2.3 3 × 74,44 % = 2.2332 → 2.23 ·
      8.2.4 2 × 75,76 % = 1.5152 → 1.52 · 8.2.5 2 × 90,33 % = 1.8066 → 1.81 ·
      8.3.1 4 × 72,15 % = 2.886 → 2.89 · 8.4.1 31/31 → 2                           = 22.49 / 28
  standard 10.71 + 4.75 + 11.95 + 5 + 9 + 7 + 11.92 + 22.49 = 82.82
  bonus 9.1.1 min(1, 3 × 0.5) = 1 · 9.1.2 không 0 · 9.2.1 có 0.5 · 9.2.2 1 × 0.25   = 1.75
  penalty: all 0. Total 82.82 + 1.75 = 84.57 / 93 → 90.935… → index 90.94 → class A (≥ 90);
  rank 1 in "Cơ quan Trung ương" (the other member, CAT, scores less: see the ranking).
"""

from __future__ import annotations

import json

import pytest

from .helpers import EXAMPLES, SAMPLE


@pytest.fixture(scope="module")
def sample_results(tmp_path_factory) -> dict[str, dict]:
    from parindex.cli import main

    out = tmp_path_factory.mktemp("golden") / "ket-qua.json"
    args = ["score", "--methodology", SAMPLE, "--units", EXAMPLES / "units.csv"]
    code = main([str(a) for a in [*args, "--inputs", EXAMPLES / "inputs.csv", "--out", out]])
    assert code == 0
    return {u["code"]: u for u in json.loads(out.read_text(encoding="utf-8"))["units"]}


def test_unit_with_every_input_at_maximum(sample_results):
    snv = sample_results["SNV"]
    assert (snv["total"], snv["max"], snv["index"], snv["rank"], snv["class"]) == (
        "100.00", "100.00", "100.00", 1, "A",
    )  # fmt: skip
    assert [a["points"] for a in snv["areas"]] == [
        "12.00", "8.00", "13.00", "7.00", "10.00", "7.00", "13.00", "30.00", "3.00", "0.00",
    ]  # fmt: skip


def test_realistic_central_agency(sample_results):
    kbnn = sample_results["KBNN"]
    assert (kbnn["total"], kbnn["max"], kbnn["index"], kbnn["rank"], kbnn["class"]) == (
        "84.57", "93.00", "90.94", 1, "A",
    )  # fmt: skip
    areas = {a["code"]: (a["points"], a["max"]) for a in kbnn["areas"]}
    assert areas == {
        "1": ("10.71", "12.00"), "2": ("4.75", "5.00"), "3": ("11.95", "12.00"),
        "4": ("5.00", "6.00"), "5": ("9.00", "10.00"), "6": ("7.00", "7.00"),
        "7": ("11.92", "13.00"), "8": ("22.49", "28.00"), "9": ("1.75", "3.00"),
        "10": ("0.00", "5.00"),
    }  # fmt: skip
    assert kbnn["nodes"]["2.1"] is None and kbnn["nodes"]["8.4.2"] is None
    assert kbnn["nodes"]["1.3.1"] == "0.71"


def test_exempt_units_are_scored_on_their_applicable_maximum(sample_results):
    # Thanh tra tỉnh is exempt from 3.1, 3.2, 3.3 (11 points) and 7.3.2 (1.5): 100 − 12.5.
    assert sample_results["TTT"]["max"] == "87.50"
    assert sample_results["TTT"]["nodes"]["3.2.1"] is None

"""``parindex explain``: the trace of a unit's total or of one node."""

from __future__ import annotations

from .helpers import Run


def _explain(run: Run, files, *extra: object) -> tuple[int, str, str]:
    return run(
        "explain",
        "--methodology",
        files["methodology"],
        "--units",
        files["units"],
        "--inputs",
        files["inputs"],
        *extra,
    )


def test_unit_total_with_rank(run, files):
    code, out, _ = _explain(run, files, "--unit", "A")
    assert code == 0
    assert out.startswith("A — Sở A: 11,6")
    assert "Chỉ số = 11,60 / 12,00 × 100 = 96,67 %" in out
    assert "Hạng 2 trong khối Sở" in out


def test_node_shows_rule_and_threshold(run, files):
    code, out, _ = _explain(run, files, "--unit", "A", "--node", "1.2")
    assert code == 0
    assert "Quy tắc: theo khoảng tỷ lệ %" in out
    assert "Tỷ lệ = 45 / 50 × 100 = 90" in out
    assert "≥ 90" in out


def test_exempt_node_says_why(run, files):
    code, out, _ = _explain(run, files, "--unit", "D", "--node", "2")
    assert code == 0 and "được miễn nút 2" in out


def test_unknown_unit_or_node(run, files):
    code, _, err = _explain(run, files, "--unit", "ZZ")
    assert code == 2 and "không có đơn vị 'ZZ'" in err and "A, B, C, D" in err
    code, _, err = _explain(run, files, "--unit", "A", "--node", "9.9")
    assert code == 2 and "không có tiêu chí '9.9'" in err
    assert "Traceback" not in err

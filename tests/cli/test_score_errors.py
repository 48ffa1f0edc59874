"""Bad files make ``parindex score`` fail with every problem located, and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import INPUTS_CSV, UNITS_CSV, Run, score_args


def _fail(run: Run, files: dict[str, Path], **override: Path) -> tuple[str, Path]:
    """Run score expecting failure; the output must not exist afterwards."""
    out = files["dir"] / "ket-qua.json"
    code, _, err = run(*score_args(files, out, **override))
    assert code == 2
    assert not out.exists()
    assert "Traceback" not in err
    return err, out


def _write(files: dict[str, Path], name: str, text: str) -> Path:
    path = files["dir"] / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_column(run, files):
    bad = _write(files, "in.csv", "unit,node,input\nA,1.1,\n")
    err, _ = _fail(run, files, inputs=bad)
    assert f"{bad}:1: T005:" in err and "value" in err


def test_unknown_unit_with_row_and_column(run, files):
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\n")
    err, _ = _fail(run, files, inputs=bad)
    line = INPUTS_CSV.count("\n") + 1
    assert f"{bad}:{line}: I022: [cột unit]" in err


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("A,2.1,,120", "ngoài khoảng"),  # a percentage above 100
        ("A,1.2,numerator,abc", "không phải là số"),
        ("A,1.1,,sometimes", "không phải là phương án hợp lệ"),
    ],
)
def test_bad_value_with_row_and_column(run, files, row, fragment):
    lines = INPUTS_CSV.splitlines()
    key = ",".join(row.split(",")[:3])
    number = next(i for i, text in enumerate(lines, start=1) if text.startswith(key))
    lines[number - 1] = row
    bad = _write(files, "in.csv", "\n".join(lines) + "\n")
    err, _ = _fail(run, files, inputs=bad)
    assert f"{bad}:{number}: I028: [cột value]" in err and fragment in err


def test_every_error_is_reported_at_once(run, files):
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\nA,9.9,,1\n")
    err, _ = _fail(run, files, inputs=bad)
    assert "I022" in err and "I023" in err
    assert len(err.strip().splitlines()) == 2


def test_bad_units_file(run, files):
    bad = _write(files, "units.csv", UNITS_CSV + "E,Sở E,planet,Sở,\n")
    err, _ = _fail(run, files, units=bad)
    assert f"{bad}:6: I013: [cột type]" in err


@pytest.mark.parametrize("name", ["in.txt", "in.xls", "in"])
def test_wrong_input_extension(run, files, name):
    bad = _write(files, name, INPUTS_CSV)
    err, _ = _fail(run, files, inputs=bad)
    assert "T003" in err


def test_wrong_output_extension(run, files):
    out = files["dir"] / "ket-qua.pdf"
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "T009" in err and not out.exists()


def test_missing_input_file(run, files):
    err, _ = _fail(run, files, inputs=files["dir"] / "khong-co.csv")
    assert "T001" in err and "không tìm thấy" in err


def test_bad_methodology(run, files):
    bad = _write(files, "bad.yaml", "format: parindex/methodology@1\nid: X\n")
    err, _ = _fail(run, files, methodology=bad)
    assert f"{bad}:" in err and "M0" in err


def test_existing_output_is_left_untouched(run, files):
    out = files["dir"] / "ket-qua.json"
    out.write_text("OLD", encoding="utf-8")
    bad = _write(files, "in.csv", INPUTS_CSV + "Z,1.1,,on_time\n")
    code, _, _ = run(*score_args(files, out, inputs=bad))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in files["dir"].iterdir() if p.name.startswith(".")) == []


def test_unwritable_output_directory(run, files):
    out = files["dir"] / "khong-co" / "ket-qua.json"
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "không ghi được tệp" in err

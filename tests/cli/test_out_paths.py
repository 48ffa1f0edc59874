"""`--out` must never name one of the files a command reads: refused before anything is
written, and the input file is left as it was."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from .helpers import UNITS_CSV, Run, score_args


def _template_args(files: dict[str, Path], out: Path) -> list[object]:
    return [
        "template",
        "--methodology",
        files["methodology"],
        "--units",
        files["units"],
        "--out",
        out,
    ]


def _refused(run: Run, args: list[object], option: str, victim: Path) -> None:
    before = victim.read_bytes()
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert f"T010: --out là cùng một tệp với --{option}" in err
    assert "Traceback" not in err
    assert victim.read_bytes() == before


@pytest.mark.parametrize("option", ["inputs", "units"])
def test_score_refuses_to_overwrite_a_csv_it_reads(run, files, option):
    _refused(run, score_args(files, files[option]), option, files[option])


def test_score_refuses_the_same_file_through_another_path(run, files):
    # ./sub/../inputs.csv, a symbolic link and a hard link all name the inputs file.
    (files["dir"] / "sub").mkdir()
    dotted = files["dir"] / "sub" / ".." / "inputs.csv"
    _refused(run, score_args(files, dotted), "inputs", files["inputs"])
    link = files["dir"] / "link.csv"
    link.symlink_to(files["inputs"])
    _refused(run, score_args(files, link), "inputs", files["inputs"])
    hard = files["dir"] / "hard.csv"
    os.link(files["inputs"], hard)
    _refused(run, score_args(files, hard), "inputs", files["inputs"])


def test_score_refuses_to_overwrite_an_xlsx_it_reads(run, files):
    # The filled-in template is both --inputs and (by mistake) --out.
    inputs = files["dir"] / "mau.xlsx"
    assert run(*_template_args(files, inputs))[0] == 0
    _refused(run, score_args(files, inputs, inputs=inputs), "inputs", inputs)


def test_template_refuses_to_overwrite_the_units_file(run, files):
    units = files["dir"] / "units.xlsx"
    book = Workbook()
    for line in csv.reader(UNITS_CSV.splitlines()):
        book.active.append(line)
    book.save(units)
    args = _template_args({**files, "units": units}, units)
    _refused(run, args, "units", units)


def test_score_refuses_to_overwrite_the_methodology(run, files):
    # Only a methodology whose name ends in .json could be named by --out.
    methodology = files["dir"] / "bo-tieu-chi.json"
    methodology.write_bytes(Path(files["methodology"]).read_bytes())
    _refused(
        run, score_args(files, methodology, methodology=methodology), "methodology", methodology
    )


def test_a_different_output_is_still_written(run, files):
    out = files["dir"] / "ket-qua.csv"
    code, _, err = run(*score_args(files, out))
    assert code == 0, err
    assert out.exists()

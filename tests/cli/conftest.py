"""Fixtures for the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.cli import main

from .helpers import INPUTS_CSV, TINY, UNITS_CSV, Run


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Call ``parindex`` with arguments; return (exit code, stdout, stderr)."""

    def _run(*args: object) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The tiny methodology with its units and inputs, as files in a temporary directory."""
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    inputs = tmp_path / "inputs.csv"
    inputs.write_text(INPUTS_CSV, encoding="utf-8")
    return {"methodology": TINY, "units": units, "inputs": inputs, "dir": tmp_path}

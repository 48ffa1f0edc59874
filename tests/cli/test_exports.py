"""Output files are written atomically: a failure leaves the previous file as it was."""

from __future__ import annotations

import pytest

from parindex import exports

from .helpers import score_args


def test_failure_while_writing_keeps_the_old_file(run, files, monkeypatch):
    out = files["dir"] / "ket-qua.json"
    out.write_text("OLD", encoding="utf-8")

    def broken(results, path):
        path.write_text('{"units": [', encoding="utf-8")  # half a file, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_results_json", broken)
    code, _, err = run(*score_args(files, out))
    assert code == 2 and "không ghi được tệp" in err
    assert out.read_text(encoding="utf-8") == "OLD"
    assert [p.name for p in files["dir"].iterdir() if p.name.startswith(".")] == []


def test_unexpected_errors_also_clean_up(tmp_path):
    target = tmp_path / "x.json"

    def boom(path):
        path.write_text("partial", encoding="utf-8")
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        exports.write_atomic(target, boom)
    assert list(tmp_path.iterdir()) == []

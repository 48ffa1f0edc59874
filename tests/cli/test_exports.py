"""Output files are written atomically: a failure leaves the previous file (or set of files) as
it was, and no temporary file behind. New files get mode 0o644, existing files keep theirs; the
process umask is never read (``os.umask`` changes process-wide state)."""

from __future__ import annotations

import os
import stat

import pytest

from parindex import exports
from parindex.exports import files as files_module

from .helpers import score_args


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _writer(text):
    return lambda path: path.write_text(text, encoding="utf-8")


def test_failure_while_writing_keeps_the_old_file(run, files, monkeypatch):
    out = files["dir"] / "ket-qua.json"
    out.write_text("OLD", encoding="utf-8")

    def broken(results, path):
        path.write_text('{"units": [', encoding="utf-8")  # half a file, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.document, "write_json", broken)
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


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path, mode):
    target = tmp_path / "ket-qua.json"
    target.write_text("OLD", encoding="utf-8")
    target.chmod(mode)
    exports.write_atomic(target, _writer("NEW"))
    assert target.read_text(encoding="utf-8") == "NEW"
    assert _mode(target) == mode


def test_a_new_file_gets_0644_whatever_the_umask(tmp_path):
    old = os.umask(0o077)  # the test may set it; the writer must neither read nor change it
    try:
        exports.write_atomic(tmp_path / "a.json", _writer("{}"))
        assert os.umask(0o077) == 0o077  # unchanged by the writer
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.json") == 0o644


def test_the_umask_is_never_touched(tmp_path, monkeypatch):
    def forbidden(mask):
        raise AssertionError("os.umask changes process-wide state")

    monkeypatch.setattr(os, "umask", forbidden)
    exports.write_atomic(tmp_path / "a.json", _writer("{}"))
    exports.write_files([(tmp_path / "b.csv", _writer("b")), (tmp_path / "c.csv", _writer("c"))])
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["a.json", "b.csv", "c.csv"]


def _set(tmp_path):
    """Three targets: the first and the last exist ("OLD", mode 0o600), the middle one not."""
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"]
    for path in (paths[0], paths[2]):
        path.write_text("OLD", encoding="utf-8")
        path.chmod(0o600)
    return paths


def _unchanged(tmp_path, paths):
    assert paths[0].read_text(encoding="utf-8") == "OLD" and _mode(paths[0]) == 0o600
    assert not paths[1].exists()
    assert paths[2].read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "c.csv"]  # nothing left over


def test_a_set_is_not_moved_into_place_until_every_file_is_complete(tmp_path):
    paths = _set(tmp_path)

    def full(path):
        path.write_text("NE", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        exports.write_files(
            [(paths[0], _writer("NEW")), (paths[1], _writer("NEW")), (paths[2], full)]
        )
    _unchanged(tmp_path, paths)


@pytest.mark.parametrize("hard_links", [True, False])
def test_a_failed_move_puts_back_the_files_already_moved(tmp_path, monkeypatch, hard_links):
    """The last move fails (say the file is open in Excel on Windows): the first two targets,
    already replaced, are restored — from a hard link, or from a copy where there are none."""
    paths = _set(tmp_path)
    replace = os.replace

    def failing_replace(src, dst):
        if str(dst) == str(paths[2]) and str(src).endswith(".tmp"):
            raise PermissionError(13, "Permission denied")
        replace(src, dst)

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(files_module.os, "replace", failing_replace)
    if not hard_links:
        monkeypatch.setattr(files_module.os, "link", no_links)
    with pytest.raises(PermissionError):
        exports.write_files([(p, _writer("NEW")) for p in paths])
    _unchanged(tmp_path, paths)


def test_a_complete_set_replaces_every_file(tmp_path):
    paths = _set(tmp_path)
    exports.write_files([(p, _writer(f"NEW {p.name}")) for p in paths])
    assert [p.read_text(encoding="utf-8") for p in paths] == ["NEW a.csv", "NEW b.csv", "NEW c.csv"]
    assert [_mode(p) for p in paths] == [0o600, 0o644, 0o600]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv"]

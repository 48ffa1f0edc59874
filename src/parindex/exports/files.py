"""Writing output files so that a failure never leaves a partial or clobbered output.

Each file is written to a temporary file beside its target and moved into place only when
complete. A set of files (the CSV results and their sibling tables) is moved into place only
when every file of the set is complete; if moving one of them fails, those already moved are
put back, so the set on disk stays the old one. The process umask is never touched
(``os.umask`` changes process-wide state and is racy in threads).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

Writer = Callable[[Path], None]

NEW_FILE_MODE = 0o644


def same_file(a: Path, b: Path) -> bool:
    """True if both paths name one file (also through links or a case-insensitive disk):
    an output must never overwrite an input."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare the resolved paths
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):
            return False


def write_atomic(path: Path, write: Writer) -> None:
    """Call ``write`` on a temporary file beside ``path``, then move it over ``path``."""
    write_files([(path, write)])


def write_files(targets: Sequence[tuple[Path, Writer]]) -> None:
    """Write each ``(path, write)`` pair through a temporary file; when all are complete, move
    them into place. On any failure no target is changed and no temporary file is left."""
    staged: list[tuple[Path, Path]] = []  # (target, complete temporary file)
    current: Path | None = None
    try:
        for path, write in targets:
            current = _temporary(path, ".tmp")
            write(current)
            os.chmod(current, file_mode(path))
            staged.append((path, current))
            current = None
        _install(staged)
    except BaseException:
        for tmp in [current, *(tmp for _, tmp in staged)]:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        raise


def file_mode(path: Path) -> int:
    """The permission bits for a new version of ``path``: those of the existing file, else
    ``NEW_FILE_MODE`` (not derived from the umask, which cannot be read without changing it)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return NEW_FILE_MODE


def _temporary(path: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent or ".")
    os.close(fd)
    return Path(name)


def _install(staged: Sequence[tuple[Path, Path]]) -> None:
    """Move the temporary files over their targets; undo the moves already made on failure.

    Every target but the last is first kept as a backup (a hard link, or a copy where the file
    system has no hard links), so that it can be put back if a later move fails.
    """
    done: list[tuple[Path, Path | None]] = []  # (target, its backup; None: it did not exist)
    backups: list[Path] = []
    try:
        for i, (path, tmp) in enumerate(staged):
            backup = _backup(path) if i < len(staged) - 1 else None
            if backup is not None:
                backups.append(backup)
            os.replace(tmp, path)
            done.append((path, backup))
    except BaseException:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    path.unlink()
                else:
                    os.replace(backup, path)
        raise
    finally:
        for backup in backups:
            with contextlib.suppress(OSError):
                backup.unlink()


def _backup(path: Path) -> Path | None:
    """A second name for the current ``path`` (None if there is no such file)."""
    if not os.path.lexists(path):
        return None
    for _ in range(10):
        name = path.with_name(f".{path.name}.{secrets.token_hex(6)}.bak")
        try:
            os.link(path, name, follow_symlinks=False)
            return name
        except FileExistsError:
            continue
        except OSError:
            break  # no hard links on this file system: copy instead
    copy = _temporary(path, ".bak")
    try:
        shutil.copy2(path, copy)
    except BaseException:
        with contextlib.suppress(OSError):
            copy.unlink()
        raise
    return copy

"""Exception hierarchy of the pure core.

Every problem a user can fix is an :class:`Issue`: a stable code, the place (file, line,
column, node code) and a Vietnamese message saying what is wrong and what would be valid.
Loaders and parsers collect all issues first and raise one exception holding them, so a user
sees every problem of a file at once and nothing is half-loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a file or in data."""

    code: str
    message: str
    source: str = "<dữ liệu>"
    line: int | None = None
    column: str | None = None
    node: str | None = None

    def format(self) -> str:
        """``PATH:LINE: CODE: [nút X] message`` — one line, for terminals and logs."""
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        col = f" [cột {self.column}]" if self.column else ""
        node = f" [nút {self.node}]" if self.node else ""
        return f"{where}: {self.code}:{col}{node} {self.message}"

    def __str__(self) -> str:
        return self.format()


class ParindexError(Exception):
    """Base of every error the core raises on purpose."""


class IssuesError(ParindexError):
    """Raised with every issue found; nothing has been loaded or written."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(i.format() for i in self.issues))


class MethodologyError(IssuesError):
    """The methodology file is invalid."""


class InputError(IssuesError):
    """A units or inputs table is invalid."""


class SurveyError(IssuesError):
    """Survey data is invalid: an instrument, or the responses read with one."""


class InstrumentError(SurveyError):
    """The survey instrument file is invalid (codes S001–S063; S070–S073 come from
    :func:`parindex.core.survey.check_mapping`, which returns issues instead of raising)."""


class ResponseError(SurveyError):
    """A file of survey responses cannot be imported (codes ``R001``–``R031``): every issue
    names the row as a spreadsheet shows it (``line``) and the header of the column
    (``column``). Nothing is imported. ``preview`` holds the first rows as read and ``rows``
    the number of data rows read, so an import page can show both next to the errors."""

    def __init__(
        self,
        issues: Iterable[Issue],
        *,
        preview: Iterable[dict[str, str]] = (),
        rows: int = 0,
    ) -> None:
        super().__init__(issues)
        self.preview: list[dict[str, str]] = list(preview)
        self.rows = rows


class FormulaError(ParindexError):
    """A formula is unsafe or malformed (raised by the formula compiler)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")

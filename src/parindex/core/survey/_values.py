"""Reading one cell of a responses file: answer codes, choices, numbers, weights, times.

Each reader has a fast path, a dict from the exact cell text to its meaning, that the row
loop calls directly, and a slow path that understands every accepted spelling (spaces, the
option's label, ``4.0`` for ``4``, a Vietnamese decimal comma) and adds what it resolved to
the fast path. Only valid texts are remembered, and only up to ``CACHE_LIMIT`` of them, so a
file of free text cannot fill the memory.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from ..decimals import format_vn, parse_decimal
from .headers import normalize
from .instrument import AnswerOption, Question

BLANK = -1
MISSING = "thiếu câu trả lời"  # what ChoiceChecker.check_flags says of a required question
CACHE_LIMIT = 10_000
_LIST_SEPARATORS = re.compile(r"[,;]")
_VN_DATE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"
)
_PLAIN_NUMBER = re.compile(r"^\d{1,15}(\.\d{1,15})?$")  # float() reads it exactly as written
_TRUE = frozenset({"1", "true", "yes", "có", "x"})
_FALSE = frozenset({"0", "false", "no", "không", ""})


def text_of(value: object) -> str:
    """A cell as text: blanks are ``""``, numbers without a needless ``.0``, NFC, stripped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _integral(text: str) -> str | None:
    """``4.0``, ``4,0``, ``04`` → ``4``; ``None`` for anything else."""
    try:
        number = parse_decimal(text)
    except ValueError:
        return None
    return str(int(number)) if number == number.to_integral_value() else None


class CodedLookup:
    """Cell → index of an answer code: options first (0 … n−1), then missing-value codes,
    plus ``base``; a blank cell gives ``blank`` (``BLANK`` without a base, else base + the
    number of codes); ``None`` for anything that is not an answer.

    With a base, the answers to all counted questions of a row share one range of numbers
    (question j's codes start where question j−1's blank ends), so one ``Counter`` over a
    unit's answers counts every question and code at once.
    """

    def __init__(
        self,
        options: Sequence[AnswerOption],
        missing: Sequence[AnswerOption],
        base: int | None = None,
    ) -> None:
        everything = [*options, *missing]
        self.codes = tuple(o.code for o in everything)
        self.options = len(options)
        self.base = 0 if base is None else base
        self.blank = BLANK if base is None else base + len(self.codes)
        self.fast: dict[object, int] = {c: self.base + i for i, c in enumerate(self.codes)}
        self.fast[""] = self.blank
        self._folded = {code.casefold(): i for i, code in enumerate(self.codes)}
        labels: dict[str, int] = {}
        for i, option in enumerate(everything):
            label = normalize(option.label)
            labels[label] = -1 if label in labels else i  # a label two options share: no match
        self._labels = {k: v for k, v in labels.items() if v >= 0}

    def resolve(self, value: object) -> int | None:
        """The slow path; remembers a valid text for the fast path."""
        index = self.find(text_of(value))
        if index is None:
            return None
        found = self.blank if index == BLANK else self.base + index
        if isinstance(value, str) and len(self.fast) < CACHE_LIMIT:
            self.fast[value] = found
        return found

    def find(self, text: str) -> int | None:
        """The index of the code (no base) that ``text`` names; ``BLANK`` if empty."""
        if not text:
            return BLANK
        index = self._folded.get(text.casefold())
        if index is None:
            number = _integral(text)
            index = None if number is None else self._folded.get(number)
        if index is None:
            index = self._labels.get(normalize(text))
        return index

    def valid(self, limit: int = 12) -> str:
        """The valid codes for a message: ``1, 2, 3, 4, 5 (mã thiếu: 9)``."""
        shown = ", ".join(self.codes[: self.options][:limit])
        if self.options > limit:
            shown += ", …"
        missing = self.codes[self.options :]
        return shown + (f" (mã thiếu: {', '.join(missing)})" if missing else "")


class ChoiceChecker:
    """A ``multiple`` question: one cell of codes (``1 3``, ``1;3``, labels), or one 0/1 cell
    per option. ``check`` returns a Vietnamese message for an invalid answer, else ``None``."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.lookup = CodedLookup(question.options, question.missing)
        self.fast: dict[object, bool] = {"": True}

    def check(self, value: object) -> str | None:
        if value in self.fast:
            return None
        text = text_of(value)
        whole = self.lookup.find(text)
        if whole is not None:
            chosen, bad = ({whole} if whole != BLANK else set()), []
        else:
            parts = _LIST_SEPARATORS.split(text) if _LIST_SEPARATORS.search(text) else text.split()
            found = [(p, self.lookup.find(p.strip())) for p in parts if p.strip()]
            chosen = {i for _, i in found if i is not None}
            bad = [p.strip() for p, i in found if i is None]
        if bad:
            return f"'{', '.join(bad)}' không phải phương án; chọn trong {self.lookup.valid()}"
        problem = self.problem(chosen)
        if problem is None and isinstance(value, str) and len(self.fast) < CACHE_LIMIT:
            self.fast[value] = True
        return problem

    def check_flags(self, flags: Sequence[tuple[str, object]]) -> str | None:
        """One 0/1 cell per option: (option code, cell) pairs. A required question needs
        at least one option chosen (``MISSING`` is returned otherwise)."""
        chosen: set[int] = set()
        for code, cell in flags:
            text = text_of(cell).casefold()
            if text in _TRUE:
                chosen.add(self.lookup.codes.index(code))
            elif text not in _FALSE:
                return (
                    f"ô của phương án {code} phải là 1 (chọn) hoặc 0 (không), không phải '{text}'"
                )
        if not chosen and self.question.required:
            return MISSING
        return self.problem(chosen)

    def problem(self, chosen: set[int]) -> str | None:
        limit = self.question.max_choices
        if limit is not None and len(chosen) > limit:
            return f"chọn {len(chosen)} phương án, tối đa {limit}"
        missing = [self.lookup.codes[i] for i in chosen if i >= self.lookup.options]
        if missing and len(chosen) > 1:
            return f"mã '{missing[0]}' (không trả lời) không được chọn cùng phương án khác"
        return None


class NumberChecker:
    """A ``number`` question: a number within ``min``–``max``, whole if ``integer``."""

    def __init__(self, question: Question) -> None:
        self.question = question
        self.fast: dict[object, bool] = {"": True}

    def check(self, value: object) -> str | None:
        if value in self.fast:
            return None
        text = text_of(value)
        if not text:
            return None
        try:
            number = parse_decimal(text)
        except ValueError as exc:
            return str(exc)
        q = self.question
        if q.integer and number != number.to_integral_value():
            return f"'{text}' không phải số nguyên"
        if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
            low = "…" if q.min is None else format_vn(q.min)
            high = "…" if q.max is None else format_vn(q.max)
            return f"'{text}' nằm ngoài khoảng cho phép {low} – {high}"
        if isinstance(value, str) and len(self.fast) < CACHE_LIMIT:
            self.fast[value] = True
        return None


class WeightReader:
    """A design weight: a finite number greater than 0 (``1,25`` or ``1.25``)."""

    def __init__(self) -> None:
        self.fast: dict[object, float] = {}

    def read(self, value: object) -> float | str:
        """The weight, or a Vietnamese message saying why the cell is not one."""
        text = text_of(value)
        if not text:
            return "thiếu trọng số (ô trống)"
        try:
            weight = float(text) if _PLAIN_NUMBER.match(text) else float(parse_decimal(text))
        except ValueError as exc:
            return str(exc)
        if not (weight > 0.0 and math.isfinite(weight)):
            return f"trọng số phải lớn hơn 0, không phải '{text}'"
        if isinstance(value, str) and len(self.fast) < CACHE_LIMIT:
            self.fast[value] = weight
        return weight


def read_time(value: object) -> dt.datetime | None:
    """A submission time: ISO 8601 (``2024-03-01T08:15:30.123+07:00``, ``…Z``) or
    ``dd/mm/yyyy[ hh:mm[:ss]]``; aware times are converted to UTC and made naive so that all
    compare. ``None`` if the cell is not a time."""
    try:
        moment = dt.datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        other = _other_time(value)
        if other is None:
            return None
        moment = other
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _other_time(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = text_of(value)
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _VN_DATE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None

"""Reading survey responses: every row validated, all or nothing, into compact tallies.

:class:`ResponseReader` takes the header row, then one row of cells at a time, so a file of a
million responses is read without holding its rows: each row's answers to the counted
questions become one byte each in an ``array('B')`` per unit and respondent type, and
:meth:`ResponseReader.finish` turns those into per-answer-code counts and weight sums
(:class:`~.response_set.ResponseSet`). Every problem is collected, with the row as a
spreadsheet shows it and the column's header, and raised together as :class:`ResponseError`;
nothing is returned while any remains (codes in docs/survey-format.md §10).

:func:`read_responses` does the same for rows given as mappings (header → cell), such as the
rows of ``parindex.tabular.read_table``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import call

from ..errors import Issue, ResponseError
from ._plan import BLANK, Plan, UnitData, UnitSlots, build_plan
from ._tally import tally_units
from ._values import MISSING, ChoiceChecker, CodedLookup, read_time, text_of
from .headers import HeaderMap, map_header
from .instrument import Instrument
from .response_set import PREVIEW_ROWS, ResponseSet

__all__ = ["MAX_ISSUES", "ResponseReader", "read_responses"]

MAX_ISSUES = 1000  # a file with more errors is reported with the first ones and a count


def read_responses(
    rows: Iterable[tuple[int, Mapping[str, object]]],
    instrument: Instrument,
    *,
    units: Collection[str] | None = None,
    source: str = "<câu trả lời>",
    unit_column: str | None = None,
    weight_column: str | None = None,
    headers: Sequence[str] | None = None,
) -> ResponseSet:
    """Validate ``(row number, {header: cell})`` rows and tally them; raise
    :class:`ResponseError` with every problem if any row is invalid.

    The header row is ``headers``, or the keys of the first row. ``units`` are the valid unit
    codes (``None``: any code is accepted). Which header means what: :mod:`.headers`; the
    checks of each row: :class:`ResponseReader`.
    """

    def reader(names: Sequence[str]) -> ResponseReader:
        return ResponseReader(
            names,
            instrument,
            units=units,
            source=source,
            unit_column=unit_column,
            weight_column=weight_column,
        )

    current: ResponseReader | None = None
    names = list(headers or ())
    for line, row in rows:
        if current is None:
            names = names or list(row)
            current = reader(names)
        cells = (row.get(name, "") for name in names)
        current.add(line, [c if c.__class__ is str else text_of(c) for c in cells])
    return (current or reader(names)).finish()


class ResponseReader:
    """Reads rows one at a time against an instrument; :meth:`finish` gives the result.

    Header problems raise :class:`ResponseError` at once. Row checks: an answer that is no
    code, missing-value code or label of the question (``R010``); a unit not in ``units``
    (``R011``) or blank (``R012``); a submission id seen before (``R013``) or blank
    (``R015``); a blank answer to a required question (``R014``); a weight that is not a
    number above 0 (``R016``); a number out of range (``R017``); a bad choice list
    (``R018``); a time that is not one (``R019``); a respondent type that cannot be told
    (``R020``); a value in a column without a header (``R007``). Cells are text (``str``) as
    read from a file; ``None`` and numbers are accepted too.
    """

    def __init__(
        self,
        headers: Sequence[object],
        instrument: Instrument,
        *,
        units: Collection[str] | None = None,
        source: str = "<câu trả lời>",
        unit_column: str | None = None,
        weight_column: str | None = None,
        header_line: int = 1,
    ) -> None:
        self.header: HeaderMap = map_header(
            headers,
            instrument,
            unit_column=unit_column,
            weight_column=weight_column,
            source=source,
            line=header_line,
        )
        if self.header.errors:
            raise ResponseError(self.header.errors)
        self.instrument, self.source, self.header_line = instrument, source, header_line
        self.plan: Plan = build_plan(self.header, instrument, units)
        self.slots = UnitSlots(self.plan)
        self.rows = 0
        self.issues: list[Issue] = []
        self.more_issues = 0
        self.ids: dict[str, int] = {}
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None
        self.preview: list[dict[str, str]] = []

    # --- the row loop -------------------------------------------------------------------

    def add(self, line: int, cells: Sequence[object]) -> None:
        """Check one data row (``line``: its row number in the file); tally it if valid.

        The common case (a valid row of text cells) runs through dict look-ups only; every
        problem goes to a slower method that says what is wrong.
        """
        p = self.plan
        if len(cells) != p.width or p.unnamed:
            cells = self._fit(line, cells)
        self.rows += 1
        if self.rows <= PREVIEW_ROWS:
            self.preview.append({h: text_of(c) for h, c in zip(p.headers, cells, strict=True)})
        errors: list[Issue] = []
        scored = list(map(call, p.scored_gets, p.scored_pick(cells)))
        coded = list(map(call, p.coded_gets, p.coded_pick(cells)))
        if None in scored:
            self._resolve(line, cells, scored, p.scored, errors)
        if None in coded:
            self._resolve(line, cells, coded, p.coded, errors)
        for pos in p.required_coded:
            if coded[pos] == BLANK:
                self._missing(line, p.coded[pos][0], errors)
        if p.required_scored or p.required_other or p.checkers:
            self._others(line, cells, scored, errors)
        if p.type_pos is not None:
            kind = p.type_of_code.get(coded[p.type_pos])  # type: ignore[arg-type]
            if kind is None:
                self._no_type(line, cells, coded, errors)
        else:
            kind = self._respondent(line, cells, errors)
        unit = self.slots.get(cells[p.unit]) or self._unit(line, cells[p.unit], errors)
        if p.submission_id is not None:
            sid = cells[p.submission_id]
            sid = sid.strip() if isinstance(sid, str) else text_of(sid)
            if not sid or self.ids.setdefault(sid, line) != line:
                self._submission(line, sid, errors)
        if p.time is not None and cells[p.time]:
            self._time(line, cells[p.time], errors)
        weight = 1.0
        if p.weight is not None:
            weight = p.weights.fast.get(cells[p.weight]) or self._weight(line, cells, errors)
        if errors:
            self._reject(line, cells, errors)
        elif unit is not None and kind is not None:
            unit.add(kind, scored, weight)  # type: ignore[arg-type]  # no None is left

    def _fit(self, line: int, cells: Sequence[object]) -> list[object]:
        """Pad a short row; a value beyond the header or under a blank header is ``R007``."""
        p = self.plan
        row = list(cells[: p.width]) + [""] * (p.width - len(cells))
        extra = [i for i in p.unnamed if text_of(row[i])]
        extra += [i for i in range(p.width, len(cells)) if text_of(cells[i])]
        if extra:
            msg = (
                "có giá trị ở cột không có tên (ô tiêu đề để trống hoặc thừa dấu phân cách): "
                f"cột thứ {', '.join(str(i + 1) for i in extra)}"
            )
            self._commit([Issue("R007", msg, self.source, line)])
        return row

    def _at(self, line: int, column: int | None, message: str, code: str) -> Issue:
        return Issue(code, message, self.source, line, self.header.header_of(column))

    def _resolve(
        self,
        line: int,
        cells: Sequence[object],
        found: list[int | None],
        columns: list[tuple[int, CodedLookup]],
        errors: list[Issue],
    ) -> None:
        for pos, value in enumerate(found):
            if value is not None:
                continue
            column, lookup = columns[pos]
            index = lookup.resolve(cells[column])
            if index is None:
                question = self.header.columns[column].question
                msg = (
                    f"câu trả lời '{text_of(cells[column])}' không có trong thang đo hay các "
                    f"phương án của câu hỏi {question}; hợp lệ: {lookup.valid()}"
                )
                errors.append(self._at(line, column, msg, "R010"))
                index = lookup.blank
            found[pos] = index

    def _missing(self, line: int, column: int, errors: list[Issue]) -> None:
        """A blank required answer, unless the cell is already reported (an invalid answer)."""
        header = self.header.headers[column]
        if not any(e.column == header for e in errors):
            question = self.header.columns[column].question
            msg = f"thiếu câu trả lời cho câu hỏi bắt buộc {question}"
            errors.append(self._at(line, column, msg, "R014"))

    def _others(
        self, line: int, cells: Sequence[object], scored: list[int | None], errors: list[Issue]
    ) -> None:
        """Required counted and other answers; choice lists and numbers."""
        p = self.plan
        for pos in p.required_scored:
            column, lookup = p.scored[pos]
            if scored[pos] == lookup.blank:
                self._missing(line, column, errors)
        for column in p.required_other:
            if not text_of(cells[column]):
                self._missing(line, column, errors)
        for checker, column, flags in p.checkers:
            if flags and isinstance(checker, ChoiceChecker):
                problem = checker.check_flags([(code, cells[i]) for code, i in flags])
            elif cells[column] in checker.fast:
                continue
            else:
                problem = checker.check(cells[column])
            if problem == MISSING:
                self._missing(line, column, errors)
            elif problem is not None:
                code = "R017" if checker.question.type == "number" else "R018"
                message = f"câu {checker.question.code}: {problem}"
                errors.append(self._at(line, column, message, code))

    def _no_type(
        self, line: int, cells: Sequence[object], coded: list[int | None], errors: list[Issue]
    ) -> None:
        """The answer to the respondent question names no respondent type (a blank or
        invalid answer is already reported)."""
        p = self.plan
        assert p.type_pos is not None
        index = coded[p.type_pos]
        if index is None or index < 0:
            return
        column = p.coded[p.type_pos][0]
        msg = (
            f"câu trả lời '{text_of(cells[column])}' của câu "
            f"{self.instrument.respondent_question} không cho biết loại người trả lời "
            f"(các loại: {p.type_choices})"
        )
        errors.append(self._at(line, column, msg, "R020"))

    def _respondent(self, line: int, cells: Sequence[object], errors: list[Issue]) -> int | None:
        """The respondent type from a type column, or the instrument's only type."""
        p = self.plan
        if p.type_column is None:
            return 0
        text = text_of(cells[p.type_column])
        kind = p.type_names.get(text.casefold())
        if kind is None:
            shown = f"'{text}' không có" if text else "để trống"
            msg = f"loại người trả lời {shown}; các loại: {p.type_choices}"
            errors.append(self._at(line, p.type_column, msg, "R020"))
        return kind

    def _unit(self, line: int, cell: object, errors: list[Issue]) -> UnitData | None:
        result = self.slots.new(cell)
        if isinstance(result, tuple):
            errors.append(self._at(line, self.plan.unit, result[1], result[0]))
            return None
        return result

    def _submission(self, line: int, sid: str, errors: list[Issue]) -> None:
        column = self.plan.submission_id
        if not sid:
            errors.append(self._at(line, column, "thiếu mã phiếu (ô trống)", "R015"))
        else:
            msg = f"mã phiếu '{sid}' bị trùng: đã có ở dòng {self.ids[sid]}"
            errors.append(self._at(line, column, msg, "R013"))

    def _time(self, line: int, cell: object, errors: list[Issue]) -> None:
        moment = read_time(cell)
        if moment is None:
            if text_of(cell):
                msg = (
                    f"'{text_of(cell)}' không phải ngày giờ (ví dụ 2024-03-01T08:15:30 hoặc "
                    "01/03/2024 08:15)"
                )
                errors.append(self._at(line, self.plan.time, msg, "R019"))
            return
        if self.first is None or moment < self.first:
            self.first = moment
        if self.last is None or moment > self.last:
            self.last = moment

    def _weight(self, line: int, cells: Sequence[object], errors: list[Issue]) -> float:
        read = self.plan.weights.read(cells[self.plan.weight])  # type: ignore[index]
        if isinstance(read, str):
            errors.append(self._at(line, self.plan.weight, read, "R016"))
            return 1.0
        return read

    def _reject(self, line: int, cells: Sequence[object], errors: list[Issue]) -> None:
        """Report a row's errors; a row of blank cells (spaces only) is skipped instead."""
        if not any(text_of(c) for c in cells):
            self.rows -= 1
            if self.rows < PREVIEW_ROWS:
                self.preview.pop()
            return
        self._commit(errors)

    def _commit(self, errors: list[Issue]) -> None:
        room = max(0, MAX_ISSUES - len(self.issues))
        self.issues.extend(errors[:room])
        self.more_issues += max(0, len(errors) - room)

    # --- the end ------------------------------------------------------------------------

    def finish(self) -> ResponseSet:
        """The validated responses; :class:`ResponseError` with every problem if any."""
        if not self.rows and not self.issues:
            msg = "không có câu trả lời nào (chỉ có dòng tiêu đề)"
            self.issues.append(Issue("R030", msg, self.source, self.header_line))
        if self.issues:
            raise ResponseError(self._sorted(), preview=self.preview, rows=self.rows)
        asked = {q.code: q.respondents for q in self.instrument.questions if q.scored}
        tallies, not_asked = tally_units(self.slots, self.plan, asked)
        return ResponseSet(
            instrument=self.instrument,
            source=self.source,
            header=self.header,
            tallies=tallies,
            ranges={
                code: (lookup.base, lookup.blank)
                for code, (_, lookup) in zip(self.plan.scored_codes, self.plan.scored, strict=True)
            },
            rows=self.slots.rows(),
            warnings=[*self.header.warnings, *self._not_asked(not_asked)],
            preview=self.preview,
            weighted=self.plan.weight is not None,
            period=None if self.first is None or self.last is None else (self.first, self.last),
        )

    def _sorted(self) -> list[Issue]:
        position = {h: i for i, h in reversed(list(enumerate(self.header.headers)))}
        issues = sorted(self.issues, key=lambda i: (i.line or 0, position.get(i.column or "", -1)))
        if self.more_issues:
            msg = (
                f"còn {self.more_issues} lỗi khác chưa liệt kê (chỉ liệt kê {MAX_ISSUES} lỗi "
                "đầu tiên); sửa các lỗi trên rồi kiểm tra lại"
            )
            issues.append(Issue("R031", msg, self.source))
        return issues

    def _not_asked(self, counts: dict[tuple[str, str], int]) -> list[Issue]:
        out = []
        for (question, kind), n in sorted(counts.items()):
            asked = ", ".join(sorted(self.instrument.question(question).respondents))
            msg = (
                f"{n} câu trả lời của loại người trả lời '{kind}' cho câu {question}, câu này "
                f"chỉ hỏi {asked}: không được tính"
            )
            column = self.header.header_of(self.header.questions.get(question))
            out.append(Issue("R052", msg, self.source, None, column))
        return out

"""How the row loop reads a file: which column is which, compiled once from the header.

The row loop looks up the answers to the counted questions (and to ``single`` questions) with
one C-level ``map`` over dict ``get`` methods; everything it needs per row is prepared here.
Valid rows of a unit and respondent type are kept as answer-code bytes in :class:`UnitData`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from ._values import BLANK, ChoiceChecker, CodedLookup, NumberChecker, WeightReader, text_of
from .headers import HeaderMap, normalize
from .instrument import Instrument, Question

__all__ = ["BLANK", "Plan", "UnitData", "UnitSlots", "build_plan"]

Picker = Callable[[Sequence[object]], Sequence[object]]
Checker = ChoiceChecker | NumberChecker


def _nothing(cells: Sequence[object]) -> Sequence[object]:
    return ()


_NOTHING: Picker = _nothing


def _picker(columns: Sequence[int]) -> Picker:
    """Cells at ``columns`` as a sequence (``itemgetter`` gives a bare value for one)."""
    if not columns:
        return _nothing
    if len(columns) == 1:
        only = columns[0]
        return lambda cells: (cells[only],)
    return itemgetter(*columns)


@dataclass
class Plan:
    """Everything the row loop needs, by column position."""

    headers: tuple[str, ...]
    width: int
    header_line: int
    unit: int
    units: dict[str, str] | None  # casefolded and exact valid codes → code; None: any
    kinds: tuple[str, ...]  # respondent type codes
    scored: list[tuple[int, CodedLookup]] = field(default_factory=list)
    scored_codes: list[str] = field(default_factory=list)
    coded: list[tuple[int, CodedLookup]] = field(default_factory=list)
    # Required answers: positions in ``scored`` / ``coded``, columns of other questions.
    required_scored: list[int] = field(default_factory=list)
    required_coded: list[int] = field(default_factory=list)
    required_other: list[int] = field(default_factory=list)
    # (checker, first column, [(option, column)] for one 0/1 column per option, else [])
    checkers: list[tuple[Checker, int, list[tuple[str, int]]]] = field(default_factory=list)
    unnamed: tuple[int, ...] = ()
    submission_id: int | None = None
    time: int | None = None
    weight: int | None = None
    weights: WeightReader = field(default_factory=WeightReader)
    type_pos: int | None = None
    type_of_code: dict[int, int] = field(default_factory=dict)
    type_column: int | None = None
    type_names: dict[str, int] = field(default_factory=dict)
    scored_gets: list[Callable[[object], int | None]] = field(default_factory=list)
    coded_gets: list[Callable[[object], int | None]] = field(default_factory=list)
    scored_pick: Picker = field(default=_NOTHING)
    coded_pick: Picker = field(default=_NOTHING)
    width_codes: int = 0  # answer numbers of the counted questions: 0 … width_codes − 1

    @property
    def type_choices(self) -> str:
        return ", ".join(self.kinds)

    @property
    def typecode(self) -> str:
        """The array type that holds every answer number: a byte for up to 256."""
        return "B" if self.width_codes <= 256 else "H" if self.width_codes <= 65536 else "I"


def build_plan(
    header: HeaderMap, instrument: Instrument, units: Collection[str] | None, line: int = 1
) -> Plan:
    assert header.unit is not None  # map_header reports R001 otherwise
    plan = Plan(
        headers=header.headers,
        width=len(header.headers),
        header_line=line,
        unit=header.unit,
        units=None if units is None else _unit_codes(units),
        kinds=tuple(t.code for t in instrument.respondent_types),
        unnamed=tuple(c.index for c in header.columns if not c.header),
        submission_id=header.submission_id,
        time=header.time,
        weight=header.weight,
    )
    for q in instrument.questions:
        column = header.questions.get(q.code)
        flags = list(header.options.get(q.code, {}).items())
        if column is None and not flags:
            continue
        if q.type in ("scale", "single") and column is not None:
            _coded(plan, instrument, q, column)
        elif q.type in ("multiple", "number"):
            checker = ChoiceChecker(q) if q.type == "multiple" else NumberChecker(q)
            first = column if column is not None else min(i for _, i in flags)
            plan.checkers.append((checker, first, [] if column is not None else flags))
            if q.required and column is not None:  # 0/1 columns: the checker says if none is 1
                plan.required_other.append(first)
        elif q.required and column is not None:  # text
            plan.required_other.append(column)
    if instrument.respondent_question is None and header.respondent_type is not None:
        plan.type_column = header.respondent_type
        for i, t in enumerate(instrument.respondent_types):
            plan.type_names[t.code.casefold()] = i
            plan.type_names.setdefault(normalize(t.label), i)
    plan.scored_gets = [lookup.fast.get for _, lookup in plan.scored]
    plan.coded_gets = [lookup.fast.get for _, lookup in plan.coded]
    plan.scored_pick = _picker([c for c, _ in plan.scored])
    plan.coded_pick = _picker([c for c, _ in plan.coded])
    return plan


def _coded(plan: Plan, instrument: Instrument, q: Question, column: int) -> None:
    """Counted questions are tallied (their answers numbered after the previous question's);
    unscored scale and single questions only checked."""
    required = q.required or q.code == instrument.respondent_question
    if q.scored:
        lookup = CodedLookup(q.answer_options(), q.missing_options(), base=plan.width_codes)
        plan.width_codes = lookup.blank + 1
        plan.scored.append((column, lookup))
        plan.scored_codes.append(q.code)
        if required:
            plan.required_scored.append(len(plan.scored) - 1)
        return
    lookup = CodedLookup(q.answer_options(), q.missing_options())
    plan.coded.append((column, lookup))
    if required:
        plan.required_coded.append(len(plan.coded) - 1)
    if q.code == instrument.respondent_question:
        plan.type_pos = len(plan.coded) - 1
        for i, code in enumerate(lookup.codes):
            kind = instrument.respondent_type_of(code)
            if kind is not None:
                plan.type_of_code[i] = instrument.respondent_types.index(kind)


def _unit_codes(units: Collection[str]) -> dict[str, str]:
    codes = {u.casefold(): u for u in units}
    codes.update((u, u) for u in units)
    return codes


class UnitData:
    """The valid rows of one unit: per respondent type, the answer codes of the counted
    questions (one byte each, row after row), the design weights and the number of rows."""

    __slots__ = ("code", "codes", "rows", "weights")

    def __init__(self, code: str, kinds: int, typecode: str, weighted: bool) -> None:
        self.code = code
        self.codes = [array(typecode) for _ in range(kinds)]
        self.weights = [array("d") for _ in range(kinds)] if weighted else None
        self.rows = [0] * kinds

    def add(self, kind: int, answers: list[int], weight: float) -> None:
        self.codes[kind].extend(answers)
        self.rows[kind] += 1
        if self.weights is not None:
            self.weights[kind].append(weight)


class UnitSlots:
    """Unit cell text → :class:`UnitData`; several spellings of a code share one."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_cell: dict[object, UnitData] = {}
        self.by_code: dict[str, UnitData] = {}
        self.get = self.by_cell.get

    def new(self, cell: object) -> UnitData | tuple[str, str]:
        """The unit of a cell not seen before, or (error code, message) if it is invalid."""
        plan = self.plan
        code = text_of(cell)
        if not code:
            return "R012", "thiếu mã đơn vị (ô trống)"
        if plan.units is not None:
            found = plan.units.get(code) or plan.units.get(code.casefold())
            if found is None:
                known = sorted(set(plan.units.values()))
                shown = ", ".join(known[:10]) + (", …" if len(known) > 10 else "")
                return "R011", f"đơn vị '{code}' không có trong danh sách đơn vị ({shown})"
            code = found
        data = self.by_code.get(code)
        if data is None:
            kinds, weighted = len(plan.kinds), plan.weight is not None
            data = self.by_code[code] = UnitData(code, kinds, plan.typecode, weighted)
        self.by_cell[cell] = data
        return data

    def rows(self) -> dict[str, dict[str, int]]:
        """Unit → respondent type → valid rows (types without rows left out)."""
        kinds = self.plan.kinds
        return {
            code: {kinds[k]: n for k, n in enumerate(data.rows) if n}
            for code, data in sorted(self.by_code.items())
        }

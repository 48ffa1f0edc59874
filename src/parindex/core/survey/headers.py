"""Which column of a responses file holds what: the header row mapped onto an instrument.

Exports of survey software name columns in several ways, and all are accepted
(docs/survey-format.md §10):

- the question code (``A1``), or its text as the header (KoboToolbox "labels" export);
- a group path before it: ``tiep_can/A1`` (KoboToolbox), ``tiep_can-A1`` (ODK Central);
- a ``multiple`` question either as one column of space-separated option codes (``1 3``) or
  as one 0/1 column per option: ``NC1/2``, ``NC1_2``, ``nhu_cau/NC1/2``;
- the submission id (``KEY``, ``meta/instanceID``, ``_uuid``, ``_id``…), the submission time
  (``_submission_time``, ``SubmissionDate``, ``end``), the respondent's unit (``unit``,
  ``don_vi``, ``ma_don_vi``…), a design weight (``weight``, ``trong_so``) and, when the
  instrument has no ``respondent_question``, the respondent type (``respondent_type``…).

Software metadata (``start``, ``_index``, ``SubmitterID``…) is recognised and ignored; other
unknown columns are ignored with a warning (``R050``), never an error, since survey tools add
columns of their own. Errors: ``R001``–``R006`` (docs/survey-format.md §10).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import Issue
from .instrument import Instrument, Question

__all__ = [
    "ID_NAMES",
    "META_NAMES",
    "RESPONDENT_NAMES",
    "ROLES",
    "TIME_NAMES",
    "UNIT_NAMES",
    "WEIGHT_NAMES",
    "Column",
    "HeaderMap",
    "map_header",
    "normalize",
]

ROLES = ("question", "option", "unit", "weight", "id", "time", "respondent_type", "meta", "unknown")
UNIT_NAMES = ("unit", "don_vi", "ma_don_vi", "đơn vị", "mã đơn vị", "don vi", "ma don vi")
WEIGHT_NAMES = ("weight", "trong_so", "trọng số", "design_weight")
RESPONDENT_NAMES = ("respondent_type", "loai_nguoi_tra_loi", "loại người trả lời", "doi_tuong")
# In order of preference: ODK Central's KEY, the instance id, then KoboToolbox's own ids.
ID_NAMES = ("key", "meta/instanceid", "meta-instanceid", "instanceid", "_uuid", "_id", "ma_phieu")
TIME_NAMES = ("_submission_time", "submissiondate", "submission_time", "end", "thoi_gian")
# Columns that KoboToolbox and ODK Central add to every export (casefolded).
META_NAMES = frozenset(
    {
        "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
        "username", "email", "audit", "audit_url", "_id", "_uuid", "_submission_time",
        "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_version_",
        "_tags", "_index", "_parent_index", "_parent_table_name", "_xform_id_string",
        "_attachments", "_geolocation", "_media_count", "_total_media", "_media_all_received",
        "meta/instanceid", "meta/instancename", "meta/deprecatedid", "meta/rootuuid",
        "meta/audit", "meta-instanceid", "meta-instancename", "meta-deprecatedid",
        "meta-rootuuid", "meta-audit", "formhub/uuid", "submissiondate", "submitterid",
        "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate",
        "edits", "formversion", "key", "instanceid", "__system/submissiondate",
    }
)  # fmt: skip
_SPACES = re.compile(r"\s+")
_SEPARATORS = ("/", "-")


def normalize(text: object) -> str:
    """A header or label for comparison: NFC, no outer spaces, single inner spaces, casefold."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text)).strip()).casefold()


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the header: its position, the header as written, and its role.

    ``question`` is the question code of ``question`` and ``option`` columns; ``option`` the
    option code of an ``option`` column (one 0/1 column of a ``multiple`` question).
    """

    index: int
    header: str
    role: str
    question: str | None = None
    option: str | None = None


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """The header row mapped onto an instrument. ``errors`` make the file unusable; ``warnings``
    (unknown columns, counted questions without a column) do not."""

    headers: tuple[str, ...]
    columns: tuple[Column, ...]
    questions: dict[str, int] = field(default_factory=dict)
    options: dict[str, dict[str, int]] = field(default_factory=dict)
    unit: int | None = None
    weight: int | None = None
    submission_id: int | None = None
    time: int | None = None
    respondent_type: int | None = None
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()

    def header_of(self, index: int | None) -> str | None:
        """The header as written of the column at ``index`` (``None`` for ``None``)."""
        return None if index is None else self.headers[index]

    def role_of(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]


def map_header(
    headers: Sequence[object],
    instrument: Instrument,
    *,
    unit_column: str | None = None,
    weight_column: str | None = None,
    source: str = "<câu trả lời>",
    line: int = 1,
) -> HeaderMap:
    """Map a header row onto ``instrument``; problems are returned in the map, not raised.

    ``unit_column`` and ``weight_column`` name the unit and weight columns when they have
    other names than the defaults (``UNIT_NAMES``, ``WEIGHT_NAMES``); a name given but not
    found is an error (``R004``).
    """
    return _Mapper(instrument, source, line).run(
        [unicodedata.normalize("NFC", "" if h is None else str(h)).strip() for h in headers],
        unit_column,
        weight_column,
    )


class _Mapper:
    def __init__(self, instrument: Instrument, source: str, line: int) -> None:
        self.instrument = instrument
        self.source, self.line = source, line
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.codes: dict[str, Question] = {}
        for q in instrument.questions:  # exact codes win over a casefolded clash
            self.codes.setdefault(q.code.casefold(), q)
        for q in instrument.questions:
            self.codes[q.code] = q
        self.labels = _unique((normalize(q.text), q) for q in instrument.questions)

    def issue(self, code: str, message: str, column: str | None) -> Issue:
        return Issue(code, message, self.source, self.line, column)

    def run(
        self, headers: list[str], unit_column: str | None, weight_column: str | None
    ) -> HeaderMap:
        columns = [self.classify(i, h, unit_column, weight_column) for i, h in enumerate(headers)]
        columns = self.resolve(columns)
        taken = self.taken(columns)
        for name, role in ((unit_column, "unit"), (weight_column, "weight")):
            if name is not None and role not in taken:
                msg = f"không có cột '{name}' (cột {_ROLE_NAMES[role]}) trong dòng tiêu đề"
                self.errors.append(self.issue("R004", msg, name))
        self.check(taken, columns, unit_given=unit_column is not None)
        options: dict[str, dict[str, int]] = {}
        for c in columns:
            if c.role == "option" and c.question is not None and c.option is not None:
                options.setdefault(c.question, {})[c.option] = c.index
        return HeaderMap(
            headers=tuple(headers),
            columns=tuple(columns),
            questions={c.question: c.index for c in columns if c.role == "question" if c.question},
            options=options,
            unit=taken.get("unit"),
            weight=taken.get("weight"),
            submission_id=taken.get("id"),
            time=taken.get("time"),
            respondent_type=taken.get("respondent_type"),
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
        )

    # --- one column ---------------------------------------------------------------------

    def classify(
        self, index: int, header: str, unit_column: str | None, weight_column: str | None
    ) -> Column:
        folded = normalize(header)
        if not folded:
            return Column(index, header, "unknown")
        for given, role in ((unit_column, "unit"), (weight_column, "weight")):
            if given is not None and normalize(given) in (folded, _tail(folded)):
                return Column(index, header, role)
        question = self.question(header)
        if question is not None:
            return Column(index, header, "question", question.code)
        option = self.option(header)
        if option is not None:
            return Column(index, header, "option", *option)
        for names, role in (
            (() if unit_column else UNIT_NAMES, "unit"),
            (() if weight_column else WEIGHT_NAMES, "weight"),
            (RESPONDENT_NAMES, "respondent_type"),
            (ID_NAMES, "id"),
            (TIME_NAMES, "time"),
        ):
            if folded in names or _tail(folded) in names:
                return Column(index, header, role)
        if folded in META_NAMES or folded.startswith(("_", "meta/", "meta-", "__system")):
            return Column(index, header, "meta")
        return Column(index, header, "unknown")

    def question(self, header: str) -> Question | None:
        """The question a header names: code, group path ending in a code, or label."""
        for tail in _tails(header):
            q = self.codes.get(tail) or self.codes.get(tail.casefold())
            if q is not None:
                return q
        for tail in _tails(header, ("/",)):  # a label may hold '-', as in "Ông/Bà" '/'
            q = self.labels.get(normalize(tail))
            if q is not None:
                return q
        return None

    def option(self, header: str) -> tuple[str, str] | None:
        """(question, option) of a 0/1 column of a ``multiple`` question."""
        for sep in ("/", "_", "-", "."):
            head, found, tail = header.rpartition(sep)
            if not found or not head or not tail:
                continue
            q = self.question(head)
            if q is None or q.type != "multiple":
                continue
            options = q.options + q.missing
            match = next((o for o in options if o.code == tail), None) or next(
                (o for o in options if normalize(o.label) == normalize(tail)), None
            )
            if match is not None:
                return q.code, match.code
        return None

    # --- the whole row ------------------------------------------------------------------

    def resolve(self, columns: list[Column]) -> list[Column]:
        """Several id or time columns: the preferred one keeps its role, the others are
        metadata. 0/1 columns of a question that also has its own column are metadata."""
        out = list(columns)
        for role, names in (("id", ID_NAMES), ("time", TIME_NAMES)):
            found = [c for c in out if c.role == role]
            if len(found) > 1:
                rank = {name: i for i, name in enumerate(names)}
                keep = min(found, key=lambda c: rank.get(normalize(c.header), len(names)))
                for c in found:
                    if c is not keep:
                        out[c.index] = Column(c.index, c.header, "meta")
        whole = {c.question for c in out if c.role == "question"}
        for c in out:
            if c.role == "option" and c.question in whole:
                out[c.index] = Column(c.index, c.header, "meta", c.question, c.option)
        return out

    def taken(self, columns: list[Column]) -> dict[str, int]:
        """Role → column for single-column roles; a second column of a role is ``R002``."""
        taken: dict[str, int] = {}
        seen: dict[tuple[str, str | None, str | None], Column] = {}
        for c in columns:
            if c.role in ("meta", "unknown"):
                continue
            key = (c.role, c.question, c.option)
            first = seen.get(key)
            if first is not None:
                what = f"câu hỏi {c.question}" if c.question else _ROLE_NAMES[c.role]
                if c.option is not None:
                    what += f", phương án {c.option}"
                msg = f"cột '{c.header}' lặp lại cột '{first.header}' ({what}); xóa một cột"
                self.errors.append(self.issue("R002", msg, c.header))
                continue
            seen[key] = c
            if c.role not in ("question", "option"):
                taken[c.role] = c.index
        return taken

    def check(self, taken: dict[str, int], columns: list[Column], *, unit_given: bool) -> None:
        instrument = self.instrument
        if "unit" not in taken and not unit_given:
            names = ", ".join(UNIT_NAMES[:3])
            msg = f"thiếu cột đơn vị của người trả lời: đặt tên cột là {names} (hoặc chỉ rõ tên)"
            self.errors.append(self.issue("R001", msg, None))
        present = {c.question for c in columns if c.role in ("question", "option")}
        scored = [q for q in instrument.questions if q.scored]
        if not any(q.code in present for q in scored):
            codes = ", ".join(q.code for q in scored[:5])
            msg = (
                f"không cột nào là câu hỏi tính điểm của công cụ {instrument.id} (ví dụ {codes}…)"
                ": tệp không phải câu trả lời của công cụ này, hoặc dòng đầu không phải tiêu đề"
            )
            self.errors.append(self.issue("R005", msg, None))
        for q in instrument.questions:
            if q.code in present:
                continue
            if q.required or q.code == instrument.respondent_question:
                msg = f"thiếu cột của câu hỏi bắt buộc {q.code} ({_short(q.text)})"
                self.errors.append(self.issue("R003", msg, q.code))
            elif q.scored:
                msg = (
                    f"không có cột cho câu hỏi {q.code} ({_short(q.text)}): câu hỏi này không "
                    "có câu trả lời nào"
                )
                self.warnings.append(self.issue("R051", msg, q.code))
        needs_type = instrument.respondent_question is None and len(instrument.respondent_types) > 1
        if needs_type and "respondent_type" not in taken:
            types = ", ".join(t.code for t in instrument.respondent_types)
            msg = (
                f"thiếu cột loại người trả lời ({RESPONDENT_NAMES[0]}: {types}): công cụ có "
                "nhiều loại người trả lời và không có câu hỏi cho biết loại"
            )
            self.errors.append(self.issue("R006", msg, None))
        unknown = [c.header for c in columns if c.role == "unknown" and c.header]
        for header in unknown:
            msg = f"cột '{header}' không phải câu hỏi của công cụ {instrument.id}: bỏ qua"
            self.warnings.append(self.issue("R050", msg, header))


_ROLE_NAMES = {
    "unit": "đơn vị",
    "weight": "trọng số",
    "id": "mã phiếu",
    "time": "thời gian",
    "respondent_type": "loại người trả lời",
}


def _unique(pairs: Iterator[tuple[str, Question]]) -> dict[str, Question]:
    """Label → question, without labels that two questions share (ambiguous)."""
    out: dict[str, Question] = {}
    clash: set[str] = set()
    for label, q in pairs:
        if label in out:
            clash.add(label)
        out[label] = q
    return {k: v for k, v in out.items() if k not in clash}


def _tails(header: str, separators: Sequence[str] = _SEPARATORS) -> Iterator[str]:
    """The header, then what follows each separator from the left: ``a/b/c``, ``b/c``, ``c``."""
    yield header
    for i, ch in enumerate(header):
        if ch in separators and i + 1 < len(header):
            yield header[i + 1 :]


def _tail(folded: str) -> str:
    """The last segment of a group path (``thong_tin/don_vi`` → ``don_vi``)."""
    for sep in _SEPARATORS:
        folded = folded.rpartition(sep)[2] or folded
    return folded


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Strict loading of survey instrument files (YAML) into :class:`Instrument`.

All problems are collected and raised together as :class:`InstrumentError`; each names the
file, the line, the question or group code and what would be valid (docs/survey-format.md).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

from .._yamlsrc import LocMap, load_located
from ..errors import InstrumentError, Issue
from ._answers import parse_questions, parse_scales
from ._groups import GroupParser
from ._mappings import parse_mappings
from ._reader import SurveyReader, survey_issues
from ._respondents import parse_respondent_question, parse_respondent_types
from .instrument import Decision, Instrument

FORMAT = "parindex/survey@1"
_TOP_KEYS = {
    "format",
    "id",
    "title",
    "year",
    "method",
    "status",
    "decision",
    "description",
    "notes",
    "source",
    "respondent_types",
    "respondent_question",
    "scales",
    "questions",
    "weights",
    "groups",
    "mappings",
}
_TOP_REQUIRED = {
    "format",
    "id",
    "title",
    "year",
    "status",
    "respondent_types",
    "scales",
    "questions",
    "groups",
}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHIPPED = "surveys"


def load_instrument(path: str | Path) -> Instrument:
    """Read and validate an instrument file; raise :class:`InstrumentError` if invalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError([Issue("S001", f"không đọc được tệp: {exc}", str(path))]) from None
    return loads_instrument(text, source=str(path))


def loads_instrument(text: str, source: str = "<dữ liệu>") -> Instrument:
    """Validate instrument YAML given as text."""
    data, issues = load_located(text, source)
    r = SurveyReader(source)
    r.issues.extend(survey_issues(issues))
    instrument = None
    if data is None and not issues:
        r.error("S004", "tệp rỗng: cần ít nhất các khóa " + ", ".join(sorted(_TOP_REQUIRED)), 1)
    elif data is not None:
        top = r.mapping(data, "tệp công cụ khảo sát", 1)
        if top is not None and r.keys(top, _TOP_KEYS, _TOP_REQUIRED, "phần đầu tệp"):
            instrument = _build(r, top)
    if r.issues or instrument is None:
        raise InstrumentError(sorted(r.issues, key=lambda i: (i.line or 0, i.code)))
    return instrument


def shipped_instruments() -> list[str]:
    """File names of the instruments shipped in the package (``parindex/surveys``)."""
    folder = resources.files("parindex") / _SHIPPED
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_shipped_instrument(name: str) -> Instrument:
    """Load a shipped instrument by file name (``sipas-2017.yaml``) or id (``sipas-2017``)."""
    file = name if name.endswith(".yaml") else f"{name}.yaml"
    if file not in shipped_instruments():
        known = ", ".join(shipped_instruments())
        msg = f"không có công cụ khảo sát mẫu '{name}'; có: {known}"
        raise InstrumentError([Issue("S001", msg, name)])
    text = (resources.files("parindex") / _SHIPPED / file).read_text(encoding="utf-8")
    return loads_instrument(text, source=f"parindex/{_SHIPPED}/{file}")


def _build(r: SurveyReader, top: LocMap) -> Instrument | None:
    if top["format"] != FORMAT:
        r.error("S005", f"'format' phải là '{FORMAT}'", r.line_of(top, "format"))
    ident = r.text(top, "id")
    if not _ID_RE.match(ident):
        msg = f"'id' chỉ gồm chữ thường không dấu, số và '-', không phải '{ident}'"
        r.error("S005", msg, r.line_of(top, "id"))
    respondents = parse_respondent_types(r, top)
    known = tuple(t.code for t in respondents)
    scales = parse_scales(r, top)
    questions = parse_questions(r, top, scales, known)
    respondent_question = parse_respondent_question(r, top, questions, respondents)
    parser = GroupParser(r, questions)
    groups = parser.groups(top, "groups", None, 0)
    parser.unassigned()
    source = r.text(top, "source") or None
    mappings = parse_mappings(r, top, groups, questions, known, source)
    year, status = _year(r, top), r.choice(top, "status", ("official", "sample"), None, "")
    decision, notes = _decision(r, top), tuple(r.texts(top, "notes"))
    if r.issues:
        return None
    return Instrument(
        id=ident,
        title=r.text(top, "title"),
        year=year,
        status=status,
        respondent_types=respondents,
        scales=tuple(scales.values()),
        questions=tuple(questions.values()),
        groups=tuple(groups),
        mappings=mappings,
        method=r.text(top, "method"),
        source=source,
        respondent_question=respondent_question,
        decision=decision,
        description=r.text(top, "description"),
        notes=notes,
        file=r.source,
        mappings_line=r.line_of(top, "mappings") if "mappings" in top else 0,
    )


def _year(r: SurveyReader, top: LocMap) -> int:
    year = top["year"]
    if not isinstance(year, Decimal) or year != int(year) or not 1990 <= year <= 2100:
        msg = f"'year' phải là một năm (ví dụ 2017), không phải '{year}'"
        r.error("S005", msg, r.line_of(top, "year"))
        return 0
    return int(year)


def _decision(r: SurveyReader, top: LocMap) -> Decision:
    if "decision" not in top:
        return Decision()
    m = r.mapping(top["decision"], "'decision'", r.line_of(top, "decision"))
    if m is None or not r.keys(m, {"number", "date", "issuer", "title"}, {"number"}, "'decision'"):
        return Decision()
    date = m.get("date")
    text = date.strftime("%d/%m/%Y") if isinstance(date, datetime.date) else r.text(m, "date")
    return Decision(r.text(m, "number"), text, r.text(m, "issuer"), r.text(m, "title"))


__all__ = [
    "FORMAT",
    "load_instrument",
    "load_shipped_instrument",
    "loads_instrument",
    "shipped_instruments",
]

"""Parsing of respondent types and of the question that tells them apart (instrument loader)."""

from __future__ import annotations

from .._yamlsrc import LocMap
from ._reader import SurveyReader
from .instrument import Question, RespondentType


def parse_respondent_types(r: SurveyReader, top: LocMap) -> tuple[RespondentType, ...]:
    line = r.line_of(top, "respondent_types")
    items = r.sequence(top["respondent_types"], "'respondent_types'", line)
    r.unsure.add("respondent_types")  # until every type is read: unknown codes stay silent
    if items is None:
        return ()
    if not items:
        r.error("S004", "'respondent_types' cần ít nhất một loại người trả lời", items.line)
    out: list[RespondentType] = []
    complete = bool(items)
    for item, line in zip(items, items.item_lines, strict=True):
        m = r.mapping(item, "mỗi loại người trả lời", line)
        keys = {"code", "label", "answer"}
        if m is None or not r.keys(m, keys, {"code", "label"}, "loại người trả lời"):
            complete = False
            continue
        code = r.code(m["code"], "mã loại người trả lời", r.line_of(m, "code"))
        answer = r.code(m["answer"], "mã đáp án", r.line_of(m, "answer")) if "answer" in m else None
        if code is None or ("answer" in m and answer is None):
            complete = False
            continue
        first = next((t for t in out if t.code == code), None)
        if first is not None:
            msg = f"mã loại người trả lời '{code}' bị trùng (đã có ở dòng {first.line})"
            r.error("S010", msg, line)
            continue
        out.append(RespondentType(code, r.text(m, "label"), answer, line))
    if complete:
        r.unsure.discard("respondent_types")
    return tuple(out)


def respondent_codes(r: SurveyReader, m: LocMap, where: str, known: tuple[str, ...]) -> list[str]:
    """The ``respondents`` of a question or mapping; unknown codes are ``S050``."""
    codes = r.codes(m, "respondents", "mã loại người trả lời")
    for code, line in codes:
        if code not in known and "respondent_types" not in r.unsure:
            msg = f"{where}: loại người trả lời '{code}' không có; hợp lệ: {', '.join(known)}"
            r.error("S050", msg, line)
    if not codes and m["respondents"] == []:
        r.error("S005", f"{where}: 'respondents' cần ít nhất một mã", r.line_of(m, "respondents"))
    return [code for code, _ in codes if code in known]


def parse_respondent_question(
    r: SurveyReader,
    top: LocMap,
    questions: dict[str, Question],
    types: tuple[RespondentType, ...],
) -> str | None:
    """The ``single`` question whose answer tells each response's respondent type."""
    with_answer = [t for t in types if t.answer is not None]
    if "respondent_question" not in top:
        for t in with_answer:
            msg = (
                f"loại người trả lời '{t.code}' có 'answer' mà tệp không khai 'respondent_question'"
            )
            r.error("S051", msg, t.line)
        return None
    line = r.line_of(top, "respondent_question")
    code = r.code(top["respondent_question"], "mã câu hỏi", line)
    question = questions.get(code or "")
    if code is None or (question is None and f"question:{code}" in r.unsure):
        return None
    if question is None or question.type != "single":
        singles = ", ".join(c for c, q in questions.items() if q.type == "single") or "không có"
        msg = f"'respondent_question' phải là một câu hỏi type: single; có: {singles}"
        r.error("S051", msg, line)
        return None
    _check_answers(r, question, types, line)
    return code


def _check_answers(
    r: SurveyReader, question: Question, types: tuple[RespondentType, ...], line: int
) -> None:
    valid = [o.code for o in question.options]
    seen: dict[str, str] = {}
    for t in types:
        why = _answer_problem(t, question, valid, seen)
        if why:
            msg = f"loại người trả lời '{t.code}' {why}; phương án hợp lệ: {', '.join(valid)}"
            r.error("S051", msg, t.line)
        elif t.answer is not None:
            seen[t.answer] = t.code
    missing = sorted({t.code for t in types} - question.respondents)
    if missing:
        msg = (
            f"câu '{question.code}' (respondent_question) phải hỏi mọi loại người trả lời; "
            f"thiếu: {', '.join(missing)}"
        )
        r.error("S051", msg, line)


def _answer_problem(
    t: RespondentType, question: Question, valid: list[str], seen: dict[str, str]
) -> str:
    if t.answer is None:
        return "thiếu 'answer'"
    if t.answer in seen:
        return f"có 'answer: {t.answer}' trùng với loại '{seen[t.answer]}'"
    if t.answer not in valid:
        return f"có 'answer: {t.answer}' không phải phương án của câu '{question.code}'"
    return ""

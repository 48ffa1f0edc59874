"""Parsing of respondent types, answer scales and questions (part of the instrument loader)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from .._yamlsrc import LocMap
from ._reader import SurveyReader, code_text
from ._respondents import respondent_codes
from .instrument import (
    QUESTION_TYPES,
    SATISFACTION_METHODS,
    AnswerOption,
    Question,
    SatisfactionRule,
    Scale,
)

_OPTION_KEYS = {"code", "label", "value"}
_SCALE_KEYS = {"code", "title", "options", "missing", "satisfaction"}
_COMMON_KEYS = {"code", "text", "type", "respondents", "required", "help"}
_TYPE_KEYS: dict[str, set[str]] = {
    "scale": {"scale", "scored"},
    "single": {"options", "missing"},
    "multiple": {"options", "missing", "max_choices"},
    "text": set(),
    "number": {"min", "max", "integer"},
}
_TYPE_REQUIRED: dict[str, set[str]] = {"single": {"options"}, "multiple": {"options"}}


def parse_scales(r: SurveyReader, top: LocMap) -> dict[str, Scale]:
    items = r.sequence(top["scales"], "'scales'", r.line_of(top, "scales"))
    scales: dict[str, Scale] = {}
    seen: dict[str, int] = {}
    if not items:  # not a list, or empty: reported once, questions stay silent
        r.unsure.add("scales")
        if items is not None:
            r.error("S004", "'scales' cần ít nhất một thang đo", items.line)
        return scales
    for item, line in zip(items, items.item_lines, strict=True):
        m = r.mapping(item, "mỗi thang đo", line)
        ok = m is not None and r.keys(
            m, _SCALE_KEYS, {"code", "options", "satisfaction"}, "thang đo"
        )
        code = r.code(m["code"], "mã thang đo", r.line_of(m, "code")) if m and ok else None
        if m is None or code is None:
            r.unsure.add("scales")  # a scale without a usable code: any may be meant
            continue
        if code in seen:
            r.error("S010", f"mã thang đo '{code}' bị trùng (đã có ở dòng {seen[code]})", line)
            continue
        seen[code] = line
        scale = _scale(r, m, code, line)
        if scale is None:
            r.unsure.add(f"scale:{code}")  # reported: questions on it stay silent
        else:
            scales[code] = scale
    return scales


def _scale(r: SurveyReader, m: LocMap, code: str, line: int) -> Scale | None:
    where = f"thang đo '{code}'"
    answers = _answers(r, m, where)
    if answers is None:
        return None
    options, missing = answers
    rule = _satisfaction(r, m, where, options, missing)
    if rule is None:
        return None
    if rule.method == "mean":
        options = tuple(_with_value(o) for o in options)
    return Scale(code, r.text(m, "title"), options, missing, rule, line)


def _answers(
    r: SurveyReader, m: LocMap, where: str
) -> tuple[tuple[AnswerOption, ...], tuple[AnswerOption, ...]] | None:
    """The valid options and the missing-value codes; ``None`` when they are unusable."""
    options = _options(r, m, "options", where)
    missing = _options(r, m, "missing", where) if "missing" in m else []
    if options is None or missing is None:
        return None
    if len(options) < 2:
        r.error("S005", f"{where} cần ít nhất 2 phương án trả lời", r.line_of(m, "options"))
        return None
    valid = {o.code: o for o in options}
    for o in missing:
        if o.code in valid:
            msg = (
                f"{where}: mã '{o.code}' vừa là phương án trả lời (dòng {valid[o.code].line}) "
                "vừa là mã thiếu (missing); mã thiếu phải khác mọi mã trả lời"
            )
            r.error("S012", msg, o.line)
            return None
    return tuple(options), tuple(missing)


def _options(r: SurveyReader, m: LocMap, key: str, where: str) -> list[AnswerOption] | None:
    items = r.sequence(m[key], f"'{key}' của {where}", r.line_of(m, key))
    if items is None:
        return None
    out: list[AnswerOption] = []
    ok = True
    for item, line in zip(items, items.item_lines, strict=True):
        o = r.mapping(item, f"mỗi phương án của {where}", line)
        if o is None or not r.keys(o, _OPTION_KEYS, {"code", "label"}, f"phương án của {where}"):
            ok = False
            continue
        code = r.code(o["code"], "mã phương án", r.line_of(o, "code"))
        value = r.number(o, "value")
        if code is None or ("value" in o and value is None):
            ok = False
            continue
        first = next((x for x in out if x.code == code), None)
        if first is not None:
            msg = f"{where}: mã '{code}' trong '{key}' bị trùng (đã có ở dòng {first.line})"
            r.error("S011", msg, line)
            ok = False
            continue
        out.append(AnswerOption(code, r.text(o, "label"), value, line))
    return out if ok else None


def _satisfaction(
    r: SurveyReader,
    m: LocMap,
    where: str,
    options: tuple[AnswerOption, ...],
    missing: tuple[AnswerOption, ...],
) -> SatisfactionRule | None:
    s = r.mapping(m["satisfaction"], f"'satisfaction' của {where}", r.line_of(m, "satisfaction"))
    if s is None or not r.keys(s, {"method", "satisfied"}, set(), f"'satisfaction' của {where}"):
        return None
    method = r.choice(s, "method", SATISFACTION_METHODS, None, "share")
    if method == "mean":
        return _mean_rule(r, s, where, options)
    if "satisfied" not in s:
        msg = f"'satisfaction' của {where} cần 'satisfied': các mã được tính là hài lòng"
        r.error("S004", msg, s.line)
        return None
    return _share_rule(r, s, where, options, missing)


def _share_rule(
    r: SurveyReader,
    s: LocMap,
    where: str,
    options: tuple[AnswerOption, ...],
    missing: tuple[AnswerOption, ...],
) -> SatisfactionRule | None:
    valid = [o.code for o in options]
    listed = r.codes(s, "satisfied", "mã hài lòng")
    line = r.line_of(s, "satisfied")
    if not listed:  # an empty list; otherwise the codes were reported as invalid
        if s["satisfied"] == []:
            r.error("S040", f"{where}: 'satisfied' cần ít nhất một mã trả lời", line)
        return None
    ok = True
    for code, code_line in listed:
        if code not in valid:
            kind = "là mã thiếu (missing)" if any(o.code == code for o in missing) else "không có"
            msg = (
                f"{where}: 'satisfied' có mã '{code}' {kind} trong thang đo; "
                f"mã hợp lệ: {', '.join(valid)}"
            )
            r.error("S040", msg, code_line)
            ok = False
    satisfied = {code for code, _ in listed}
    if ok and satisfied == set(valid):
        msg = f"{where}: mọi phương án đều là 'hài lòng', chỉ số luôn là 100 %; bỏ bớt mã"
        r.error("S040", msg, line)
        ok = False
    return SatisfactionRule("share", frozenset(satisfied)) if ok else None


def _mean_rule(
    r: SurveyReader, s: LocMap, where: str, options: tuple[AnswerOption, ...]
) -> SatisfactionRule | None:
    if "satisfied" in s:
        msg = f"{where}: phương pháp 'mean' không dùng 'satisfied' (dùng 'value' của phương án)"
        r.error("S040", msg, r.line_of(s, "satisfied"))
        return None
    values = []
    for o in options:
        value = _with_value(o).value
        if value is None:
            msg = f"{where}: phương án '{o.code}' cần 'value' (số) cho phương pháp 'mean'"
            r.error("S040", msg, o.line)
            return None
        values.append(value)
    if min(values) == max(values):
        r.error("S040", f"{where}: các phương án cần ít nhất hai giá trị khác nhau", s.line)
        return None
    return SatisfactionRule("mean", frozenset(), min(values), max(values))


def _with_value(o: AnswerOption) -> AnswerOption:
    """An option of a ``mean`` scale: its own value, or its numeric code."""
    if o.value is not None or not o.code.lstrip("-").isdigit():
        return o
    return AnswerOption(o.code, o.label, Decimal(o.code), o.line)


def parse_questions(
    r: SurveyReader, top: LocMap, scales: dict[str, Scale], respondents: tuple[str, ...]
) -> dict[str, Question]:
    items = r.sequence(top["questions"], "'questions'", r.line_of(top, "questions"))
    questions: dict[str, Question] = {}
    if not items:  # not a list, or empty: reported once, groups stay silent
        r.unsure.add("questions")
        if items is not None:
            r.error("S004", "'questions' cần ít nhất một câu hỏi", items.line)
        return questions
    for item, line in zip(items, items.item_lines, strict=True):
        question = _question(r, item, line, scales, respondents)
        if question is None:
            code = code_text(item.get("code")) if isinstance(item, LocMap) else None
            # Reported: groups listing it stay silent (all groups, if its code is unknown).
            r.unsure.add("questions" if code is None else f"question:{code}")
            continue
        if question.code in questions:
            first = questions[question.code].line
            r.error("S010", f"mã câu hỏi '{question.code}' bị trùng (đã có ở dòng {first})", line)
            continue
        questions[question.code] = question
    return questions


def _question(
    r: SurveyReader, item: Any, line: int, scales: dict[str, Scale], respondents: tuple[str, ...]
) -> Question | None:
    m = r.mapping(item, "mỗi câu hỏi", line)
    if m is None:
        return None
    code = r.code(m["code"], "mã câu hỏi", r.line_of(m, "code")) if "code" in m else ""
    where = f"câu hỏi '{code_text(m.get('code')) or ''}'"
    kind = r.choice(m, "type", tuple(QUESTION_TYPES), None, "")
    allowed = _COMMON_KEYS | _TYPE_KEYS.get(kind, set(_TYPE_KEYS).union(*_TYPE_KEYS.values()))
    required = {"code", "text", "type"} | _TYPE_REQUIRED.get(kind, set())
    if kind:
        where += f" (type: {kind})"
    if not r.keys(m, allowed, required, where) or not code or not kind:
        return None
    base = Question(
        code=code,
        text=r.text(m, "text"),
        type=kind,
        respondents=_respondents(r, m, where, respondents),
        required=r.boolean(m, "required", None, False),
        help=r.text(m, "help"),
        line=line,
    )
    return _TYPED[kind](r, m, where, base, scales)


def _respondents(r: SurveyReader, m: LocMap, where: str, known: tuple[str, ...]) -> frozenset[str]:
    if "respondents" not in m:
        return frozenset(known)
    return frozenset(respondent_codes(r, m, where, known))


def _scale_question(
    r: SurveyReader, m: LocMap, where: str, base: Question, scales: dict[str, Scale]
) -> Question | None:
    scale = _scale_of(r, m, where, scales)
    if scale is None:
        return None
    return replace(base, scale=scale, scored=r.boolean(m, "scored", None, True))


def _scale_of(r: SurveyReader, m: LocMap, where: str, scales: dict[str, Scale]) -> Scale | None:
    """The question's scale; the only scale when it names none. A scale that was declared
    but is invalid has been reported already: questions using it stay silent."""
    broken = {code.removeprefix("scale:") for code in r.unsure if code.startswith("scale:")}
    if "scales" in r.unsure and code_text(m.get("scale")) not in scales:
        return None  # the scales are unusable and already reported
    valid = ", ".join(scales) or "(chưa có thang đo hợp lệ)"
    line = r.line_of(m, "scale")
    if "scale" not in m:
        if len(scales) == 1 and not broken:
            return next(iter(scales.values()))
        if not broken:
            r.error("S041", f"{where}: cần 'scale' (có {len(scales)} thang đo: {valid})", line)
        return None
    code = r.code(m["scale"], "mã thang đo", line)
    if code is None or code in broken:
        return None
    if code not in scales:
        r.error("S041", f"{where}: thang đo '{code}' không có; thang đo hợp lệ: {valid}", line)
    return scales.get(code)


def _choice_question(
    r: SurveyReader, m: LocMap, where: str, base: Question, scales: dict[str, Scale]
) -> Question | None:
    answers = _answers(r, m, where)
    if answers is None:
        return None
    options, missing = answers
    most = m.get("max_choices")
    if most is not None and not (
        isinstance(most, Decimal) and most == int(most) and 1 <= most <= len(options)
    ):
        msg = f"{where}: 'max_choices' phải là số nguyên từ 1 đến {len(options)} (đang là '{most}')"
        r.error("S005", msg, r.line_of(m, "max_choices"))
        return None
    limit = None if most is None else int(most)
    return replace(base, options=options, missing=missing, max_choices=limit)


def _text_question(
    r: SurveyReader, m: LocMap, where: str, base: Question, scales: dict[str, Scale]
) -> Question | None:
    return base


def _number_question(
    r: SurveyReader, m: LocMap, where: str, base: Question, scales: dict[str, Scale]
) -> Question | None:
    low, high = r.number(m, "min"), r.number(m, "max")
    if low is not None and high is not None and low > high:
        r.error("S005", f"{where}: 'min' {low} lớn hơn 'max' {high}", r.line_of(m, "min"))
        return None
    integer = r.boolean(m, "integer", None, False)
    return replace(base, min=low, max=high, integer=integer)


_TYPED = {
    "scale": _scale_question,
    "single": _choice_question,
    "multiple": _choice_question,
    "text": _text_question,
    "number": _number_question,
}

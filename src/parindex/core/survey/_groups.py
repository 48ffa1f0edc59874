"""Parsing of question groups and their weights (part of the instrument loader).

Every scored question belongs to exactly one leaf group; groups form a tree (aspect →
policy group, …) whose siblings carry weights that add up to 1, or ``weights: equal``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._yamlsrc import LocList, LocMap
from ..decimals import ZERO
from ..methodology._reader import written
from ._reader import SurveyReader, code_text
from .instrument import GROUP_KINDS, Group, Question

MAX_DEPTH = 4  # aspect → sub-aspect → policy group → … ; real instruments use 1 or 2 levels
ONE = Decimal(1)
_GROUP_KEYS = {"code", "title", "kind", "weight", "weights", "questions", "children", "description"}


class GroupParser:
    """Walks ``groups`` (and ``children``) once, remembering which group took each question."""

    def __init__(self, r: SurveyReader, questions: dict[str, Question]) -> None:
        self.r = r
        self.questions = questions
        # Questions and groups share one namespace: a code names one thing in the results.
        self.codes: dict[str, tuple[str, int]] = {
            code: ("câu hỏi", q.line) for code, q in questions.items()
        }
        self.member_of: dict[str, tuple[str, int]] = {}  # question → (group, line)

    def groups(self, container: LocMap, key: str, parent: str | None, depth: int) -> list[Group]:
        r = self.r
        items = r.sequence(container[key], f"'{key}'", r.line_of(container, key))
        if items is None:
            return []
        mode = self._mode(container)
        out: list[Group] = []
        for item, line in zip(items, items.item_lines, strict=True):
            group = self._group(item, line, parent, depth, mode)
            if group is not None:
                out.append(group)
        if mode == "declared" and out and len(out) == len(items) and all(g.weight for g in out):
            self._check_sum(out, r.line_of(container, key), parent)
        return out

    def _mode(self, container: LocMap) -> str:
        """``equal``, ``declared`` (each child has a weight) or ``unknown`` (bad value)."""
        if "weights" not in container:
            return "declared"
        if container["weights"] != "equal":
            msg = f"'weights' chỉ nhận giá trị 'equal', không phải '{container['weights']}'"
            self.r.error("S005", msg, self.r.line_of(container, "weights"))
            return "unknown"
        return "equal"

    def _group(
        self, item: Any, line: int, parent: str | None, depth: int, mode: str
    ) -> Group | None:
        r = self.r
        m = r.mapping(item, "mỗi nhóm câu hỏi", line)
        if m is None:
            return None
        code = r.code(m["code"], "mã nhóm", r.line_of(m, "code")) if "code" in m else None
        where = f"nhóm '{code_text(m.get('code')) or ''}'"
        usable = r.keys(m, _GROUP_KEYS, {"code", "title"}, where)
        if code is None or not usable or not self._claim(code, line) or depth >= MAX_DEPTH:
            if depth >= MAX_DEPTH and usable:
                r.error("S005", f"{where}: nhóm lồng nhau quá {MAX_DEPTH} cấp", line)
            self._adopt(m)
            return None
        weight = self._weight(m, where, mode)
        kind = r.choice(m, "kind", tuple(GROUP_KINDS), None, "topic")
        questions, children = self._content(m, code, where, depth)
        return Group(
            code=code,
            title=r.text(m, "title"),
            kind=kind,
            weight=weight,
            questions=tuple(questions),
            children=tuple(children),
            parent=parent,
            description=r.text(m, "description"),
            line=line,
        )

    def _adopt(self, m: LocMap) -> None:
        """Claim the questions of a group that was reported invalid, so that they are not
        reported again as belonging to no group."""
        listed = m.get("questions")
        if isinstance(listed, LocList):
            for item, line in zip(listed, listed.item_lines, strict=True):
                self.member_of.setdefault(code_text(item) or "", ("?", line))
        children = m.get("children")
        if isinstance(children, LocList):
            for child in children:
                if isinstance(child, LocMap):
                    self._adopt(child)

    def _claim(self, code: str, line: int) -> bool:
        if code in self.codes:
            what, first = self.codes[code]
            msg = (
                f"mã nhóm '{code}' đã dùng cho {what} ở dòng {first}; "
                "mã nhóm và mã câu hỏi phải khác nhau"
            )
            self.r.error("S010", msg, line)
            return False
        self.codes[code] = ("nhóm", line)
        return True

    def _weight(self, m: LocMap, where: str, mode: str) -> Decimal:
        """The declared weight, 1 with ``weights: equal``, 0 when missing or invalid."""
        r, line = self.r, self.r.line_of(m, "weight")
        if mode != "declared":
            if "weight" in m and mode == "equal":
                msg = f"{where}: có 'weight' trong khi nhóm cấp trên khai 'weights: equal'"
                r.error("S031", msg + "; bỏ một trong hai", line)
            return ONE
        value = m.get("weight")
        if value is None:
            msg = f"{where} thiếu 'weight' (số trong (0, 1]); hoặc khai 'weights: equal' ở cấp trên"
            r.error("S031", msg, m.line)
            return ZERO
        if not isinstance(value, Decimal) or not ZERO < value <= ONE:
            msg = f"{where}: 'weight' phải là số trong (0, 1], không phải '{value}'"
            r.error("S031", msg, line)
            return ZERO
        return value

    def _check_sum(self, groups: list[Group], line: int, parent: str | None) -> None:
        total = sum((g.weight for g in groups), ZERO)
        if total != ONE:
            parts = " + ".join(f"{g.code}: {written(g.weight)}" for g in groups)
            where = f"các nhóm con của '{parent}'" if parent else "các nhóm cấp 1"
            msg = (
                f"trọng số {where} cộng lại {written(total)} ({parts}), phải bằng 1; "
                "hoặc dùng 'weights: equal'"
            )
            self.r.error("S030", msg, line)

    def _content(
        self, m: LocMap, code: str, where: str, depth: int
    ) -> tuple[list[str], list[Group]]:
        r = self.r
        if ("questions" in m) == ("children" in m):
            msg = f"{where} cần đúng một trong hai khóa 'questions' (nhóm lá) hoặc 'children'"
            r.error("S024", msg, m.line)
            if "questions" in m:
                self._members(m, code, where)  # claimed, so not reported as in no group
            return [], []
        if "children" in m:
            children = self.groups(m, "children", code, depth + 1)
            if not m["children"]:
                r.error("S024", f"{where}: 'children' rỗng", r.line_of(m, "children"))
            return [], children
        if "weights" in m:
            msg = f"{where}: 'weights' chỉ dùng cho nhóm có 'children'"
            r.error("S024", msg, r.line_of(m, "weights"))
        return self._members(m, code, where), []

    def _members(self, m: LocMap, code: str, where: str) -> list[str]:
        r = self.r
        listed = r.codes(m, "questions", "mã câu hỏi")
        if not listed and m["questions"] == []:
            r.error("S024", f"{where}: 'questions' rỗng", r.line_of(m, "questions"))
        members = []
        for question, line in listed:
            if self._member_ok(question, line, code, where):
                members.append(question)
                self.member_of[question] = (code, line)
        return members

    def _member_ok(self, question: str, line: int, code: str, where: str) -> bool:
        r, q = self.r, self.questions.get(question)
        if q is None and ({f"question:{question}", "questions"} & r.unsure):
            return False  # the question itself is invalid and reported
        if q is None:
            scored = [c for c, x in self.questions.items() if x.scored][:8]
            msg = f"{where}: câu hỏi '{question}' không có; ví dụ mã hợp lệ: {', '.join(scored)}"
            r.error("S020", msg, line)
            return False
        if not q.scored:
            why = "không tính điểm (scored: false)" if q.type == "scale" else f"loại {q.type}"
            msg = f"{where}: câu hỏi '{question}' là câu hỏi {why}, không đưa vào nhóm được; "
            r.error("S023", msg + "chỉ câu hỏi type: scale mới tính vào chỉ số", line)
            return False
        if question in self.member_of:
            other, first = self.member_of[question]
            msg = f"{where}: câu hỏi '{question}' đã thuộc nhóm '{other}' (dòng {first})"
            r.error("S022", msg + "; mỗi câu hỏi chỉ thuộc một nhóm", line)
            return False
        return True

    def unassigned(self) -> None:
        """Scored questions left out of every group would silently count for nothing."""
        for code, q in self.questions.items():
            if q.scored and code not in self.member_of:
                msg = (
                    f"câu hỏi '{code}' (type: scale) không thuộc nhóm nào nên không được tính; "
                    "đưa vào 'questions' của một nhóm, hoặc khai 'scored: false'"
                )
                self.r.error("S021", msg, q.line)

"""Parsing of ``mappings``: which groups feed which ``survey`` leaf of a methodology."""

from __future__ import annotations

import re
from decimal import Decimal

from .._yamlsrc import LocMap
from ._reader import SurveyReader
from ._respondents import respondent_codes
from .instrument import Group, LeafMapping, Question

_BLOCK_KEYS = {"methodology", "source", "respondents", "leaves"}
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LEAF_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")


def parse_mappings(
    r: SurveyReader,
    top: LocMap,
    groups: list[Group],
    questions: dict[str, Question],
    respondents: tuple[str, ...],
    source: str | None,
) -> tuple[LeafMapping, ...]:
    if "mappings" not in top:
        return ()
    items = r.sequence(top["mappings"], "'mappings'", r.line_of(top, "mappings"))
    if items is None:
        return ()
    index = {g.code: g for top_group in groups for g in top_group.walk()}
    out: list[LeafMapping] = []
    for item, line in zip(items, items.item_lines, strict=True):
        block = r.mapping(item, "mỗi khối ánh xạ", line)
        if block is None or not r.keys(block, _BLOCK_KEYS, {"leaves"}, "khối ánh xạ"):
            continue
        base = _block(r, block, respondents, source)
        if base is None:
            continue
        entries = r.sequence(block["leaves"], "'leaves'", r.line_of(block, "leaves"))
        if entries is None:
            continue
        for entry, entry_line in zip(entries, entries.item_lines, strict=True):
            mapping = _leaf(r, entry, entry_line, base, index, questions)
            if mapping is not None and _unique(r, mapping, out):
                out.append(mapping)
    return tuple(out)


def _block(
    r: SurveyReader, block: LocMap, respondents: tuple[str, ...], source: str | None
) -> LeafMapping | None:
    """The fields a block gives each of its leaves (``leaf`` and ``groups`` left empty)."""
    methodology = r.text(block, "methodology") or None
    if methodology is not None and not _ID_RE.match(methodology):
        msg = f"'methodology' là mã bộ tiêu chí (chữ thường, số, '-'), không phải '{methodology}'"
        r.error("S005", msg, r.line_of(block, "methodology"))
        return None
    who: frozenset[str] = frozenset()
    if "respondents" in block:
        who = frozenset(respondent_codes(r, block, "khối ánh xạ", respondents))
    own_source = r.text(block, "source") or source
    return LeafMapping("", (), methodology, own_source, who, block.line)


def _leaf(
    r: SurveyReader,
    entry: object,
    line: int,
    base: LeafMapping,
    index: dict[str, Group],
    questions: dict[str, Question],
) -> LeafMapping | None:
    m = r.mapping(entry, "mỗi mục ánh xạ", line)
    if m is None or not r.keys(m, {"leaf", "groups"}, {"leaf", "groups"}, "mục ánh xạ"):
        return None
    raw = m["leaf"]
    leaf = str(raw) if isinstance(raw, Decimal | str) else ""
    if not _LEAF_RE.match(leaf):
        msg = f"'leaf' là mã tiêu chí của bộ tiêu chí (ví dụ \"8.1.1\"), không phải '{raw}'"
        r.error("S005", msg, r.line_of(m, "leaf"))
        return None
    where = f"ánh xạ tới tiêu chí {leaf}"
    codes = _groups(r, m, where, index)
    if codes is None:
        return None
    mapping = LeafMapping(leaf, tuple(codes), base.methodology, base.source, base.respondents, line)
    return mapping if _asked(r, mapping, where, index, questions) else None


def _groups(r: SurveyReader, m: LocMap, where: str, index: dict[str, Group]) -> list[str] | None:
    codes: list[str] = []
    for code, line in r.codes(m, "groups", "mã nhóm"):
        if code not in index:
            valid = ", ".join(index)
            r.error("S060", f"{where}: nhóm '{code}' không có; nhóm hợp lệ: {valid}", line)
            return None
        if code in codes:
            r.error("S061", f"{where}: nhóm '{code}' được kê hai lần", line)
            return None
        parents = {index[c].parent for c in codes}
        if parents and index[code].parent not in parents:
            msg = (
                f"{where}: nhóm '{code}' không cùng cấp với nhóm '{codes[0]}' "
                f"(nhóm cha '{index[code].parent or '—'}' khác '{index[codes[0]].parent or '—'}');"
                " các nhóm của một tiêu chí phải là anh em để trọng số so sánh được"
            )
            r.error("S061", msg, line)
            return None
        codes.append(code)
    if not codes:
        if m["groups"] == []:
            r.error("S005", f"{where}: 'groups' cần ít nhất một nhóm", r.line_of(m, "groups"))
        return None
    return codes


def _asked(
    r: SurveyReader,
    mapping: LeafMapping,
    where: str,
    index: dict[str, Group],
    questions: dict[str, Question],
) -> bool:
    """A leaf whose groups ask none of its respondents could never get an index."""
    if not mapping.respondents:
        return True
    asked = [
        q
        for g in mapping.groups
        for q in index[g].all_questions()
        if questions[q].respondents & mapping.respondents
    ]
    if asked:
        return True
    who = ", ".join(sorted(mapping.respondents))
    msg = (
        f"{where}: không câu hỏi nào của nhóm {', '.join(mapping.groups)} được hỏi "
        f"người trả lời loại {who}; chỉ số của tiêu chí sẽ không bao giờ tính được"
    )
    r.error("S063", msg, mapping.line)
    return False


def _unique(r: SurveyReader, mapping: LeafMapping, done: list[LeafMapping]) -> bool:
    for other in done:
        if (other.leaf, other.methodology) == (mapping.leaf, mapping.methodology):
            scope = f"bộ tiêu chí '{mapping.methodology}'" if mapping.methodology else "mọi bộ"
            msg = (
                f"tiêu chí {mapping.leaf} đã được ánh xạ ở dòng {other.line} cho {scope}; "
                "mỗi tiêu chí chỉ nhận điểm từ một ánh xạ"
            )
            r.error("S062", msg, mapping.line)
            return False
    return True

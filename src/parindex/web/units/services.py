"""Importing the unit tree from CSV/XLSX: all rows valid, or nothing changes.

Columns: ``code, name, type, group`` and optional ``group_name, parent, valid_from, valid_to,
predecessors`` (codes of units merged into this one, separated by ``;``). A row may name as
parent a unit of the same file. Existing units (same code) are updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import InputError, Issue, unit_type
from parindex.tabular import read_table
from parindex.web.accounts.models import User
from parindex.web.common import ServiceError

from .models import LineageKind, Unit, UnitGroup, UnitLineage

REQUIRED = ("code", "name", "type", "group")
OPTIONAL = ("group_name", "parent", "valid_from", "valid_to", "predecessors")
# the longest text each column's database field takes (checked, never cut)
LIMITS = {"code": 40, "name": 255, "group": 40, "group_name": 200}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    groups: int = 0
    lineage: int = 0
    errors: list[str] = field(default_factory=list)


def _text(row: dict[str, object], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _date(row: dict[str, object], key: str, line: int, errors: list[str]) -> date | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    errors.append(
        _("dòng %(line)s, cột %(column)s: '%(value)s' không phải ngày dạng dd/mm/yyyy")
        % {"line": line, "column": key, "value": value}
    )
    return None


def read_units_file(path: Path) -> list[tuple[int, dict[str, object]]]:
    try:
        return read_table(path, REQUIRED, OPTIONAL, sheets=("đơn vị", "don vi", "units"))
    except InputError as exc:
        raise ServiceError("\n".join(_issue(i) for i in exc.issues)) from None


def _issue(issue: Issue) -> str:
    """Where (line, column; translated) and what (the core's message, in Vietnamese)."""
    parts = []
    if issue.line:
        parts.append(_("dòng %(line)s") % {"line": issue.line})
    if issue.column:
        parts.append(_("cột %(column)s") % {"column": issue.column})
    return ": ".join([*parts, issue.message])


@transaction.atomic
def units_import(*, actor: User, rows: Sequence[tuple[int, dict[str, object]]]) -> ImportReport:
    """Create or update units from table rows; raise ServiceError listing every bad row."""
    if not actor.is_admin:
        raise ServiceError(_("Chỉ cán bộ quản trị được nhập danh sách đơn vị."))
    report = ImportReport()
    errors = report.errors
    seen: dict[str, int] = {}
    parsed = []
    for line, row in rows:
        code = _text(row, "code")
        if not code:
            errors.append(
                _("dòng %(line)s, cột %(column)s: thiếu mã đơn vị")
                % {"line": line, "column": "code"}
            )
            continue
        if code in seen:
            errors.append(
                _("dòng %(line)s, cột %(column)s: mã '%(code)s' trùng với dòng %(other)s")
                % {"line": line, "column": "code", "code": code, "other": seen[code]}
            )
            continue
        seen[code] = line
        kind = unit_type(_text(row, "type"))
        if kind is None:
            errors.append(
                _(
                    "dòng %(line)s, cột %(column)s: '%(value)s' không phải loại đơn vị "
                    "(VD: department/Sở, commune/Xã, ward/Phường)"
                )
                % {"line": line, "column": "type", "value": _text(row, "type")}
            )
        if not _text(row, "name"):
            errors.append(
                _("dòng %(line)s, cột %(column)s: thiếu tên đơn vị")
                % {"line": line, "column": "name"}
            )
        if not _text(row, "group"):
            errors.append(
                _("dòng %(line)s, cột %(column)s: thiếu mã khối")
                % {"line": line, "column": "group"}
            )
        for column, limit in LIMITS.items():
            if len(_text(row, column)) > limit:
                errors.append(
                    _("dòng %(line)s, cột %(column)s: dài %(n)s ký tự, quá giới hạn %(limit)s")
                    % {"line": line, "column": column, "n": len(_text(row, column)), "limit": limit}
                )
        start, end = _date(row, "valid_from", line, errors), _date(row, "valid_to", line, errors)
        if start and end and end < start:
            errors.append(
                _("dòng %(line)s, cột %(column)s: ngày kết thúc trước ngày bắt đầu")
                % {"line": line, "column": "valid_to"}
            )
        parsed.append((line, code, kind, start, end, row))
    known = set(Unit.objects.values_list("code", flat=True)) | set(seen)
    for line, code, _kind, _start, _end, row in parsed:
        for key in ("parent", "predecessors"):
            for ref in filter(None, (c.strip() for c in _text(row, key).split(";"))):
                if ref not in known:
                    errors.append(
                        _("dòng %(line)s, cột %(column)s: không có đơn vị mã '%(code)s'")
                        % {"line": line, "column": key, "code": ref}
                    )
                elif ref == code:
                    errors.append(
                        _("dòng %(line)s, cột %(column)s: đơn vị không thể tự tham chiếu")
                        % {"line": line, "column": key}
                    )
    if errors:
        raise ServiceError("\n".join([_("Tệp đơn vị có lỗi, chưa nhập gì:"), *errors]))
    _write(parsed, report)
    return report


def _write(parsed: list, report: ImportReport) -> None:  # type: ignore[type-arg]
    groups = {g.code: g for g in UnitGroup.objects.all()}
    units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
    for _line, code, kind, start, end, row in parsed:
        gcode = _text(row, "group")
        if gcode not in groups:
            groups[gcode] = UnitGroup.objects.create(
                code=gcode, name=_text(row, "group_name") or gcode
            )
            report.groups += 1
        values = {
            "name": _text(row, "name"),
            "type": kind,
            "group": groups[gcode],
            "valid_from": start,
            "valid_to": end,
        }
        unit = units.get(code)
        if unit is None:
            units[code] = Unit.objects.create(code=code, **values)
            report.created += 1
        else:
            for k, v in values.items():
                setattr(unit, k, v)
            unit.save()
            report.updated += 1
    for _line, code, _kind, start, _end, row in parsed:
        parent = _text(row, "parent")
        unit = units[code]
        unit.parent = units[parent] if parent else None
        unit.save(update_fields=["parent"])
        for ref in filter(None, (c.strip() for c in _text(row, "predecessors").split(";"))):
            _lineage, made = UnitLineage.objects.get_or_create(
                predecessor=units[ref],
                successor=unit,
                defaults={"kind": LineageKind.MERGED, "date": start or date.today()},
            )
            report.lineage += int(made)
    _check_cycles(units)


def _check_cycles(units: dict[str, Unit]) -> None:
    for unit in units.values():
        seen = {unit.code}
        node = unit
        while node.parent_id is not None:
            node = node.parent  # type: ignore[assignment]
            if node.code in seen:
                raise ServiceError(
                    _("Cây đơn vị có vòng lặp qua '%(code)s'; chưa nhập gì.") % {"code": unit.code}
                )
            seen.add(node.code)

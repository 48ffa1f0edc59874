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

from parindex.core import InputError, Issue, unit_type
from parindex.tabular import read_table
from parindex.web.accounts.models import User
from parindex.web.common import ServiceError

from .models import LineageKind, Unit, UnitGroup, UnitLineage

REQUIRED = ("code", "name", "type", "group")
OPTIONAL = ("group_name", "parent", "valid_from", "valid_to", "predecessors")


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
    errors.append(f"dòng {line}, cột {key}: '{value}' không phải ngày dạng dd/mm/yyyy")
    return None


def read_units_file(path: Path) -> list[tuple[int, dict[str, object]]]:
    try:
        return read_table(path, REQUIRED, OPTIONAL, sheets=("đơn vị", "don vi", "units"))
    except InputError as exc:
        raise ServiceError("\n".join(_issue(i) for i in exc.issues)) from None


def _issue(issue: Issue) -> str:
    where = f"dòng {issue.line}: " if issue.line else ""
    col = f"cột {issue.column}: " if issue.column else ""
    return f"{where}{col}{issue.message}"


@transaction.atomic
def units_import(*, actor: User, rows: Sequence[tuple[int, dict[str, object]]]) -> ImportReport:
    """Create or update units from table rows; raise ServiceError listing every bad row."""
    if not actor.is_admin:
        raise ServiceError("Chỉ cán bộ quản trị được nhập danh sách đơn vị.")
    report = ImportReport()
    errors = report.errors
    seen: dict[str, int] = {}
    parsed = []
    for line, row in rows:
        code = _text(row, "code")
        if not code:
            errors.append(f"dòng {line}, cột code: thiếu mã đơn vị")
            continue
        if code in seen:
            errors.append(f"dòng {line}, cột code: mã '{code}' trùng với dòng {seen[code]}")
            continue
        seen[code] = line
        kind = unit_type(_text(row, "type"))
        if kind is None:
            errors.append(
                f"dòng {line}, cột type: '{_text(row, 'type')}' không phải loại đơn vị "
                "(VD: department/Sở, commune/Xã, ward/Phường)"
            )
        if not _text(row, "name"):
            errors.append(f"dòng {line}, cột name: thiếu tên đơn vị")
        if not _text(row, "group"):
            errors.append(f"dòng {line}, cột group: thiếu mã khối")
        start, end = _date(row, "valid_from", line, errors), _date(row, "valid_to", line, errors)
        if start and end and end < start:
            errors.append(f"dòng {line}, cột valid_to: ngày kết thúc trước ngày bắt đầu")
        parsed.append((line, code, kind, start, end, row))
    known = set(Unit.objects.values_list("code", flat=True)) | set(seen)
    for line, code, _, _, _, row in parsed:
        for key in ("parent", "predecessors"):
            for ref in filter(None, (c.strip() for c in _text(row, key).split(";"))):
                if ref not in known:
                    errors.append(f"dòng {line}, cột {key}: không có đơn vị mã '{ref}'")
                elif ref == code:
                    errors.append(f"dòng {line}, cột {key}: đơn vị không thể tự tham chiếu")
    if errors:
        raise ServiceError("Tệp đơn vị có lỗi, chưa nhập gì:\n" + "\n".join(errors))
    _write(parsed, report)
    return report


def _write(parsed: list, report: ImportReport) -> None:  # type: ignore[type-arg]
    groups = {g.code: g for g in UnitGroup.objects.all()}
    units: dict[str, Unit] = {u.code: u for u in Unit.objects.all()}
    for _, code, kind, start, end, row in parsed:
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
    for _, code, _, start, _, row in parsed:
        parent = _text(row, "parent")
        unit = units[code]
        unit.parent = units[parent] if parent else None
        unit.save(update_fields=["parent"])
        for ref in filter(None, (c.strip() for c in _text(row, "predecessors").split(";"))):
            _, made = UnitLineage.objects.get_or_create(
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
                raise ServiceError(f"Cây đơn vị có vòng lặp qua '{unit.code}'; chưa nhập gì.")
            seen.add(node.code)

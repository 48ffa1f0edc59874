"""The component schemas of the OpenAPI document (:mod:`.openapi`): one per JSON shape that
:mod:`.documents` builds, and the helpers that write them."""

from __future__ import annotations

from typing import Any

__all__ = ["INT", "SCHEMAS", "STR", "J", "ref"]

J = dict[str, Any]

NUMBER = {
    "type": ["string", "null"],
    "pattern": r"^-?\d+(\.\d+)?$",
    "description": 'Số dạng chuỗi, đủ số chữ số thập phân theo bộ tiêu chí (ví dụ "59.27").',
}
TIME = {"type": ["string", "null"], "format": "date-time"}
DATE = {"type": ["string", "null"], "format": "date"}
STR = {"type": "string"}
INT = {"type": "integer"}


def ref(name: str) -> J:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: J, required: list[str] | None = None) -> J:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


def page_of(item: str, extra: J | None = None) -> J:
    props = {
        "count": {"type": "integer", "description": "Tổng số bản ghi (mọi trang)."},
        "next": {"type": ["string", "null"], "format": "uri"},
        "previous": {"type": ["string", "null"], "format": "uri"},
        **(extra or {}),
        "results": {"type": "array", "items": ref(item)},
    }
    return obj(props)


SCHEMAS: J = {
    "Error": obj({"error": {"type": "string", "examples": ["Không tìm thấy."]}}),
    "Period": obj(
        {
            "id": INT,
            "year": INT,
            "name": STR,
            "state": {"enum": ["draft", "open", "appraisal", "explanation", "final", "published"]},
            "state_label": STR,
            "deadlines": obj(
                {k: TIME for k in ("self_assessment", "appraisal", "explanation", "finalization")}
            ),
            "finalized_at": TIME,
            "published_at": TIME,
            "groups": {
                "type": "array",
                "items": obj({"code": STR, "name": STR, "methodology": INT}),
            },
        }
    ),
    "Unit": obj(
        {
            "code": STR,
            "name": STR,
            "type": STR,
            "type_label": STR,
            "group": STR,
            "group_name": STR,
            "parent": {"type": ["string", "null"]},
            "valid_from": DATE,
            "valid_to": DATE,
        }
    ),
    "MethodologySummary": obj(
        {
            "id": INT,
            "code": STR,
            "title": STR,
            "year": INT,
            "status": STR,
            "source_name": STR,
            "sha256": STR,
            "created_at": TIME,
        }
    ),
    "Node": obj(
        {
            "code": STR,
            "title": STR,
            "kind": {"enum": ["standard", "bonus", "penalty"]},
            "max": NUMBER,
            "rule": {
                "type": ["string", "null"],
                "description": "Loại quy tắc của tiêu chí lá (choice, bands, proportional, "
                "boolean, manual, deduction, bonus, survey, formula); null ở nút có nút con.",
            },
            "reference": STR,
            "applies_to": {"type": ["array", "null"], "items": STR},
            "exemptible": {"type": "boolean"},
            "children": {"type": "array", "items": ref("Node")},
        }
    ),
    "Area": obj(
        {
            "code": STR,
            "title": STR,
            "kind": STR,
            "points": NUMBER,
            "max": NUMBER,
            "index": NUMBER,
        }
    ),
    "LostPoints": obj({"code": STR, "title": STR, "max": NUMBER, "points": NUMBER, "lost": NUMBER}),
}
SCHEMAS["Methodology"] = {
    "allOf": [
        ref("MethodologySummary"),
        obj(
            {
                "max_points": NUMBER,
                "unit_types": {"type": "array", "items": STR},
                "rounding": obj({"points": INT, "index": INT, "mode": STR}),
                "classes": {
                    "type": "array",
                    "items": obj({"code": STR, "label": STR, "min": NUMBER}),
                },
                "nodes": {"type": "array", "items": ref("Node")},
            }
        ),
    ]
}
SCHEMAS["ResultRow"] = obj(
    {
        "code": STR,
        "name": STR,
        "group": STR,
        "methodology": INT,
        "total": NUMBER,
        "max": NUMBER,
        "index": NUMBER,
        "rank": {"type": ["integer", "null"]},
        "class": {"type": ["string", "null"]},
        "class_label": {"type": ["string", "null"]},
        "areas": {"type": "array", "items": ref("Area")},
    }
)
SCHEMAS["UnitResult"] = {
    "allOf": [
        ref("ResultRow"),
        obj(
            {
                "period": INT,
                "exempt": {"type": "array", "items": STR},
                "nodes": {
                    "type": "object",
                    "description": "Mã tiêu chí → điểm và điểm tối đa áp dụng cho đơn vị.",
                    "additionalProperties": obj({"points": NUMBER, "max": NUMBER}),
                },
                "lost": {"type": "array", "items": ref("LostPoints")},
            }
        ),
    ]
}
SCHEMAS["PeriodPage"] = page_of("Period")
SCHEMAS["UnitPage"] = page_of("Unit")
SCHEMAS["MethodologyPage"] = page_of("MethodologySummary")
SCHEMAS["ResultPage"] = page_of("ResultRow", {"period": INT})

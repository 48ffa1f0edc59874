"""The OpenAPI 3.1 document of ``/api/v1/``, written by hand: responses, parameters and paths
here, the component schemas in :mod:`.schemas`.

Keep it in step with :mod:`.urls` and :mod:`.documents`: tests/web/test_api_openapi.py checks
that every route is described, with its path parameters.
"""

from __future__ import annotations

from django.conf import settings

from parindex import __version__

from .schemas import INT, SCHEMAS, STR, J, ref


def _error(description: str) -> J:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


RESPONSES: J = {
    "BadRequest": _error("Tham số không hợp lệ."),
    "Unauthorized": {
        **_error("Thiếu khóa API, khóa không hợp lệ hoặc đã bị thu hồi."),
        "headers": {"WWW-Authenticate": {"schema": STR, "description": 'Bearer realm="parindex"'}},
    },
    "NotFound": _error("Không tồn tại hoặc người gọi không được xem (trả lời như nhau)."),
    "MethodNotAllowed": _error("API chỉ cho phép đọc: mọi phương thức khác GET/HEAD."),
}

PARAMETERS: J = {
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Số trang, từ 1; mỗi trang 100 bản ghi.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    "group": {
        "name": "group",
        "in": "query",
        "required": False,
        "description": "Chỉ lấy một khối xếp hạng (mã khối, ví dụ SBN).",
        "schema": STR,
    },
    "period": {
        "name": "pk",
        "in": "path",
        "required": True,
        "description": "Mã số (id) của kỳ đánh giá.",
        "schema": INT,
    },
    "methodology": {
        "name": "pk",
        "in": "path",
        "required": True,
        "description": "Mã số (id) của phiên bản bộ tiêu chí.",
        "schema": INT,
    },
    "unit_code": {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "Mã đơn vị (ví dụ STP).",
        "schema": STR,
    },
}

PUBLIC: list[J] = [{}, {"bearerAuth": []}, {"sessionCookie": []}]
SIGNED_IN: list[J] = [{"bearerAuth": []}, {"sessionCookie": []}]


def _param(name: str) -> J:
    return {"$ref": f"#/components/parameters/{name}"}


def _get(
    op_id: str, summary: str, schema: str, *, security: list[J], params: list[str], codes: list[str]
) -> J:
    responses: J = {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref(schema)}}}
    }
    for code, name in (
        ("400", "BadRequest"),
        ("401", "Unauthorized"),
        ("404", "NotFound"),
        ("405", "MethodNotAllowed"),
    ):
        if code in codes:
            responses[code] = {"$ref": f"#/components/responses/{name}"}
    return {
        "get": {
            "operationId": op_id,
            "summary": summary,
            "security": security,
            "parameters": [_param(p) for p in params],
            "responses": responses,
        }
    }


PATHS: J = {
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "Tài liệu OpenAPI này.",
            "security": PUBLIC,
            "responses": {
                "200": {
                    "description": "OpenAPI 3.1",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
    "/periods/": _get(
        "listPeriods",
        "Các kỳ đánh giá: công khai là các kỳ đã công bố; quản trị và lãnh đạo thấy mọi kỳ.",
        "PeriodPage",
        security=PUBLIC,
        params=["page"],
        codes=["400", "401", "404", "405"],
    ),
    "/periods/{pk}/": _get(
        "getPeriod",
        "Một kỳ đánh giá.",
        "Period",
        security=PUBLIC,
        params=["period"],
        codes=["401", "404", "405"],
    ),
    "/periods/{pk}/results/": _get(
        "listResults",
        "Kết quả của các đơn vị trong kỳ (đã công bố: công khai; đã chốt điểm chưa công bố: "
        "chỉ quản trị và lãnh đạo). Sắp theo khối, thứ hạng, mã đơn vị.",
        "ResultPage",
        security=PUBLIC,
        params=["period", "page", "group"],
        codes=["400", "401", "404", "405"],
    ),
    "/periods/{pk}/results/{code}/": _get(
        "getUnitResult",
        "Phiếu điểm của một đơn vị: điểm từng tiêu chí và các tiêu chí bị mất điểm. Cần "
        "khóa API; cán bộ đơn vị chỉ xem được đơn vị mình; kỳ đã chốt điểm chưa công bố: chỉ "
        "quản trị và lãnh đạo.",
        "UnitResult",
        security=SIGNED_IN,
        params=["period", "unit_code"],
        codes=["401", "404", "405"],
    ),
    "/units/": _get(
        "listUnits",
        "Danh mục đơn vị (cần đăng nhập hoặc khóa API).",
        "UnitPage",
        security=SIGNED_IN,
        params=["page", "group"],
        codes=["400", "401", "404", "405"],
    ),
    "/methodologies/": _get(
        "listMethodologies",
        "Các phiên bản bộ tiêu chí (cần đăng nhập hoặc khóa API).",
        "MethodologyPage",
        security=SIGNED_IN,
        params=["page"],
        codes=["400", "401", "404", "405"],
    ),
    "/methodologies/{pk}/": _get(
        "getMethodology",
        "Một bộ tiêu chí với cây tiêu chí (cần đăng nhập hoặc khóa API).",
        "Methodology",
        security=SIGNED_IN,
        params=["methodology"],
        codes=["401", "404", "405"],
    ),
}


def openapi_document() -> J:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "parindex API",
            "version": __version__,
            "summary": "API chỉ đọc: kỳ đánh giá, đơn vị, bộ tiêu chí, kết quả Chỉ số CCHC.",
            "description": "Read-only JSON API. Numbers are strings with the methodology's "
            'decimals. Errors: {"error": "..."} in Vietnamese. See docs/api.md.',
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": RESPONSES,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Khóa API tạo bằng `python -m django api_token create`.",
                },
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": "Phiên đăng nhập của trình duyệt.",
                },
            },
        },
    }

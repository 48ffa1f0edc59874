"""The OpenAPI document describes every route of /api/v1/ and is served as JSON."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import URLPattern, resolve

from parindex.web.api import urls as api_urls
from parindex.web.api.openapi import openapi_document

CATCH_ALL = "unknown"  # the JSON 404 for any other path: not an endpoint
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes() -> list[URLPattern]:
    return [p for p in api_urls.urlpatterns if p.name != CATCH_ALL]


def openapi_path(pattern: URLPattern) -> str:
    return "/" + CONVERTER.sub(r"{\1}", str(pattern.pattern))


def resolve_ref(doc: dict, ref: str) -> dict:
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


@pytest.mark.django_db
def test_the_document_is_served_as_json_with_the_required_keys(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.1.")
    assert {"openapi", "info", "paths", "components"} <= set(doc)
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"],
    }


@pytest.mark.parametrize("pattern", routes(), ids=lambda p: str(p.pattern))
def test_every_route_is_documented_with_its_path_parameters(pattern):
    doc = openapi_document()
    path = openapi_path(pattern)

    assert path in doc["paths"], f"{path} is not in the OpenAPI document"
    operation = doc["paths"][path]["get"]
    declared = {
        p["name"]
        for p in (resolve_ref(doc, p["$ref"]) for p in operation.get("parameters", []))
        if p["in"] == "path"
    }
    assert declared == set(CONVERTER.findall(str(pattern.pattern)))
    assert "200" in operation["responses"] and operation["security"]


def test_every_documented_path_is_a_route():
    doc = openapi_document()
    documented = set(doc["paths"])

    assert documented == {openapi_path(p) for p in routes()}
    for path in documented:
        sample = "/api/v1" + path.replace("{pk}", "1").replace("{code}", "STP")
        assert resolve(sample).url_name != CATCH_ALL, path


def test_every_reference_resolves_and_token_only_routes_say_so():
    doc = openapi_document()

    for ref in refs(doc):
        assert resolve_ref(doc, ref), ref
    token_only = [
        "/units/",
        "/methodologies/",
        "/methodologies/{pk}/",
        "/periods/{pk}/results/{code}/",
    ]
    for path in token_only:
        security = doc["paths"][path]["get"]["security"]
        assert {} not in security and {"bearerAuth": []} in security
        assert "401" in doc["paths"][path]["get"]["responses"]
    json.dumps(doc)  # plain JSON data, nothing else

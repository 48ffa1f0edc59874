"""The bridge from stored input text to the core engine: parse, score, compute.

The web layer never computes a point itself: it parses the text a person typed with the core
parser and lets :func:`parindex.core.score_leaf` / :func:`parindex.core.compute` do the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.core import Methodology, Node, Unit, parse_value, score_leaf


@dataclass
class LeafScoring:
    """Points of a leaf for some input text, or the errors per input name."""

    points: Decimal | None = None
    status: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    trace: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors and self.status in ("ok", "clamped")


def clean_inputs(node: Node, raw: Mapping[str, object], *, unit_editable: bool) -> dict[str, str]:
    """Keep only the declared inputs (survey inputs only when not entered by a unit)."""
    out: dict[str, str] = {}
    for spec in node.inputs:
        if spec.survey and unit_editable:
            continue
        text = str(raw.get(spec.name, "") or "").strip()
        if text:
            out[spec.name] = text[:200]
    return out


def parse_leaf_inputs(
    node: Node, texts: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in node.inputs:
        text = texts.get(spec.name, "")
        if text == "":
            continue
        try:
            values[spec.name] = parse_value(spec, text)
        except ValueError as exc:
            errors[spec.name] = str(exc)
    return values, errors


def score_texts(node: Node, texts: Mapping[str, str], m: Methodology) -> LeafScoring:
    """Parse and score one leaf; with a trace of how the points were reached."""
    values, errors = parse_leaf_inputs(node, texts)
    if errors:
        return LeafScoring(values=values, errors=errors, status="invalid")
    trace: list[str] = []
    points, status = score_leaf(node, values or None, m, trace)
    return LeafScoring(points=points, status=status, values=values, trace=trace)


def as_text(value: object) -> str:
    """The stored text of a typed value (for inputs that did not come from a person)."""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def typed_inputs(
    m: Methodology, stored: Iterable[tuple[str, str, Mapping[str, str]]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """unit code → leaf → typed values, from ``(unit code, leaf code, texts)`` rows.

    Stored text was validated when saved; a value that no longer parses (the methodology was
    changed under it) is left out, so the leaf counts as not entered.
    """
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for unit_code, leaf_code, texts in stored:
        node = m.nodes.get(leaf_code)
        if node is None or not texts:
            continue
        values, _ = parse_leaf_inputs(node, texts)
        if values:
            out.setdefault(unit_code, {})[leaf_code] = values
    return out


def core_unit(unit: Any, exempt: Iterable[str]) -> Unit:
    """A core :class:`Unit` from a unit row (code, name, type, group code)."""
    return Unit(unit.code, unit.name, unit.type, unit.group.code, frozenset(exempt))

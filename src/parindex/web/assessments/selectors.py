"""Reads for the assessment pages, in a fixed number of queries whatever the tree's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import InputSpec, Methodology, Node, format_vn
from parindex.web.accounts.models import User
from parindex.web.appraisal.models import ExplanationRequest
from parindex.web.evidence.models import Evidence, EvidenceLink
from parindex.web.periods.services import methodology_of

from .models import Assessment, LeafScore
from .progress import points_text, progress
from .services import self_edit_refusal


@dataclass
class InputField:
    spec: InputSpec
    value: str
    error: str = ""
    leaf_slug: str = ""  # the leaf's code as it appears in element ids (1-2 for 1.2)

    @property
    def html_name(self) -> str:
        return f"in_{self.spec.name}"

    @property
    def html_id(self) -> str:
        return f"in-{self.leaf_slug}-{self.spec.name}"

    @property
    def allowed(self) -> str:
        """The values a number input accepts, in the user's language (the core's
        ``describe_allowed`` is for Vietnamese files and messages)."""
        spec = self.spec
        kinds = {"integer": _("số nguyên"), "number": _("số"), "percent": _("tỷ lệ %")}
        if spec.kind not in kinds:
            return spec.describe_allowed()
        text = kinds[spec.kind]
        if spec.min is not None and spec.max is not None:
            text = _("%(kind)s từ %(min)s đến %(max)s") % {
                "kind": text,
                "min": format_vn(spec.min),
                "max": format_vn(spec.max),
            }
        elif spec.min is not None:
            text = f"{text} ≥ {format_vn(spec.min)}"
        elif spec.max is not None:
            text = f"{text} ≤ {format_vn(spec.max)}"
        if spec.step is not None:
            text = _("%(text)s, bước %(step)s") % {"text": text, "step": format_vn(spec.step)}
        return text

    @property
    def choices(self) -> list[tuple[str, str, bool]]:
        """(value, label, selected) of a choice or yes/no input, labels ready to show."""
        if self.spec.kind == "boolean":
            pairs = [("có", _("Có")), ("không", _("Không"))]
        else:
            pairs = [
                (
                    o.code,
                    _("%(label)s (%(points)s điểm)")
                    % {"label": o.label, "points": format_vn(o.points)},
                )
                for o in self.spec.options
            ]
        return [(code, label, code == self.value) for code, label in pairs]

    @property
    def display(self) -> str:
        """The value as a person reads it: an option's label rather than its code, yes/no in
        the reader's language."""
        if self.spec.kind == "boolean":
            return {"có": _("Có"), "không": _("Không")}.get(self.value, self.value)
        for option in self.spec.options:
            if option.code == self.value:
                return _("%(label)s (%(points)s điểm)") % {
                    "label": option.label,
                    "points": format_vn(option.points),
                }
        return self.value


def self_fields(node: Node, texts: dict[str, Any]) -> list[InputField]:
    return [InputField(spec, str(texts.get(spec.name, ""))) for spec in node.inputs]


@dataclass
class LeafView:
    """Everything the leaf partial shows (self-assessment and appraisal pages)."""

    leaf: LeafScore
    node: Node
    m: Methodology
    fields: list[InputField]
    evidence: list[Evidence]
    request: ExplanationRequest | None
    editable: bool
    refusal: str = ""
    error: str = ""
    stale: str = ""
    preview: Decimal | None = None
    # free texts posted with a refused save, put back into their boxes: never lost
    drafts: dict[str, str] = field(default_factory=dict)
    # the evidence form posted with a refused addition: its forms are shown open, filled in
    evidence_draft: dict[str, str] | None = None

    @property
    def note(self) -> str:
        return self.drafts.get("note", self.leaf.self_note)

    @property
    def appraisal_remark(self) -> str:
        return self.drafts.get("appraise_remark", self.leaf.appraisal_remark)

    @property
    def self_fields(self) -> list[InputField]:
        """The unit's own inputs (the form fields may hold the appraised ones)."""
        return self_fields(self.node, self.leaf.self_inputs)

    @property
    def points(self) -> str:
        return points_text(self.m, self.leaf.self_points)

    @property
    def appraised(self) -> str:
        return points_text(self.m, self.leaf.appraised_points)

    @property
    def final(self) -> str:
        return points_text(self.m, self.leaf.final_points)

    @property
    def max(self) -> str:
        return format_vn(self.node.max)

    @property
    def last_saved(self) -> str:
        """Who saved the leaf last and when ("stp.canbo, 06:29 26/11/2026"), or empty."""
        if self.leaf.updated_by_id is None:
            return ""
        at = timezone.localtime(self.leaf.updated_at)
        return f"{self.leaf.updated_by}, {at:%H:%M %d/%m/%Y}"

    @property
    def evidence_missing(self) -> bool:
        return self.node.evidence_required and not self.evidence


def leaf_view(
    leaf: LeafScore,
    m: Methodology,
    evidence: list[Evidence],
    request: ExplanationRequest | None,
    editable: bool,
    refusal: str = "",
    texts: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> LeafView:
    node = m.node(leaf.node_code)
    texts = leaf.self_inputs if texts is None else texts
    errors = errors or {}
    slug = node.code.replace(".", "-")
    fields = [
        InputField(spec, str(texts.get(spec.name, "")), errors.get(spec.name, ""), slug)
        for spec in node.inputs
    ]
    return LeafView(leaf, node, m, fields, evidence, request, editable, refusal)


def assessment_page(
    user: User, assessment: Assessment, editable_for_user: bool, *, area: str
) -> dict[str, Any]:
    """The tree with the progress figures of every area and, for ``area`` (a top-level code),
    each leaf's inputs, evidence and requests: a page shows one area and loads the others
    when they are opened, so a criteria set of 150 leaves stays light. When no leaf of
    ``area`` applies to the unit, the first area that has leaves is shown instead
    (``open_area`` in the result says which)."""
    m = methodology_of(assessment.methodology)
    figures = progress(assessment)
    counted = {a.node.code: a for a in figures["areas"]}
    if area not in counted:  # no leaf of that area applies to this unit's type
        area = next(iter(counted), "")
    codes = [n.code for n in m.node(area).walk() if n.is_leaf] if area else []
    leaves = {
        leaf.node_code: leaf
        for leaf in assessment.leaves.select_related("updated_by").filter(node_code__in=codes)
    }
    by_leaf: dict[int, list[Evidence]] = defaultdict(list)
    links = EvidenceLink.objects.filter(leaf__assessment=assessment, leaf__node_code__in=codes)
    for link in links.select_related("evidence", "evidence__stored"):
        by_leaf[link.leaf_id].append(link.evidence)
    requests = {
        r.leaf_id: r
        for r in ExplanationRequest.objects.filter(
            leaf__assessment=assessment, leaf__node_code__in=codes
        ).prefetch_related("messages__author", "messages__evidence")
    }
    base_refusal = self_edit_refusal(assessment)
    for av in figures["areas"]:
        av.loaded = av.node.code == area
        for node in av.node.walk() if av.loaded else ():
            if node is av.node:
                continue
            leaf = leaves.get(node.code) if node.is_leaf else None
            if node.is_leaf and leaf is None:
                continue  # does not apply to this unit's type
            lv = None
            if leaf is not None:
                refusal = self_edit_refusal(assessment, leaf) if leaf.reopened else base_refusal
                editable = editable_for_user and not refusal
                lv = leaf_view(
                    leaf, m, by_leaf.get(leaf.pk, []), requests.get(leaf.pk), editable, refusal
                )
            av.rows.append((node, lv))
    return {**figures, "refusal": base_refusal, "open_area": area}


def leaf_evidence(leaf: LeafScore) -> list[Evidence]:
    return [
        link.evidence
        for link in EvidenceLink.objects.filter(leaf=leaf).select_related("evidence__stored")
    ]


def leaf_request(leaf: LeafScore) -> ExplanationRequest | None:
    return ExplanationRequest.objects.filter(leaf=leaf).first()

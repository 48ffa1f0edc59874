"""Writing an applied survey into the assessments: each mapped survey leaf gets its unit's
index as the text of its survey input, and its points are scored again by the core.

The index is stored as Vietnamese text (``37,50``, as a person would type it) in
``self_inputs`` (survey inputs are never entered by a unit:
:func:`parindex.web.assessments.scoring.clean_inputs` drops them from a unit's form, and
``leaf_save_self`` keeps what is stored here). A survey is data, not a judgement: where a
later stage (appraisal, decision after explanation) already recorded inputs for the leaf, its
survey input is replaced there too, so the effective inputs used at finalization are always
those of the latest applied import. A unit without responses in the newer import loses the
value of the earlier one (the leaf counts as not entered). Each changed leaf gets a new
version (an edit opened before the import is refused as stale) and one event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import Methodology, Node, format_vn
from parindex.core.survey import Instrument
from parindex.web.accounts.models import User
from parindex.web.assessments.models import Event, LeafScore, Stage
from parindex.web.assessments.scoring import score_texts
from parindex.web.common import ServiceError
from parindex.web.periods.models import MethodologyVersion
from parindex.web.periods.services import methodology_of

from .models import SurveyImport

ACTION = "survey_import"
_FIELDS = [
    "self_inputs",
    "self_points",
    "appraised_inputs",
    "appraised_points",
    "final_inputs",
    "final_points",
    "version",
    "updated_by",
    "updated_at",
]


def fill_survey_leaves(
    *,
    actor: User,
    survey_import: SurveyImport,
    instrument: Instrument,
    versions: list[MethodologyVersion],
    fed: dict[str, dict[str, Decimal]],
) -> int:
    """Set every mapped survey leaf of the period from ``fed``; returns how many changed."""
    reason = _("Nhập kết quả điều tra xã hội học: %(code)s, lần nhập #%(id)s (%(file)s).") % {
        "code": survey_import.instrument.code,
        "id": survey_import.pk,
        "file": survey_import.original_name,
    }
    now = timezone.now()
    changed: list[LeafScore] = []
    events: list[Event] = []
    for version in versions:
        m = methodology_of(version)
        codes = sorted({mapping.leaf for mapping in instrument.mappings_for(m.id)})
        leaves = (
            LeafScore.objects.select_for_update(of=("self",))
            .filter(
                assessment__period_id=survey_import.period_id,
                assessment__methodology=version,
                node_code__in=codes,
            )
            .select_related("assessment__unit")
            .order_by("pk")
        )
        for leaf in leaves:
            node = m.node(leaf.node_code)
            value = fed.get(leaf.assessment.unit.code, {}).get(leaf.node_code)
            change = _set(leaf, node, m, None if value is None else format_vn(value))
            if change is None:
                continue
            leaf.version += 1
            leaf.updated_by, leaf.updated_at = actor, now
            changed.append(leaf)
            events.append(
                Event(
                    assessment_id=leaf.assessment_id,
                    node_code=leaf.node_code,
                    stage=Stage.SELF,
                    action=ACTION,
                    actor=actor,
                    old=change[0],
                    new=change[1],
                    reason=reason,
                )
            )
    LeafScore.objects.bulk_update(changed, _FIELDS, batch_size=500)
    Event.objects.bulk_create(events, batch_size=500)
    return len(changed)


def _set(
    leaf: LeafScore, node: Node, m: Methodology, text: str | None
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Put ``text`` (or nothing) in the leaf's survey input at every recorded stage and
    score again; ``(old, new)`` for the event, or ``None`` when nothing changes."""
    name = next((s.name for s in node.inputs if s.survey), None)
    if name is None:
        return None
    old: dict[str, Any] = {"inputs": dict(leaf.self_inputs), "points": _s(leaf.self_points)}
    leaf.self_inputs, leaf.self_points = _scored(node, m, leaf.self_inputs, name, text)
    new: dict[str, Any] = {"inputs": dict(leaf.self_inputs), "points": _s(leaf.self_points)}
    for stage in ("appraised", "final"):
        inputs = getattr(leaf, f"{stage}_inputs")
        if inputs is None:
            continue
        old[stage] = _s(getattr(leaf, f"{stage}_points"))
        texts, points = _scored(node, m, inputs, name, text)
        setattr(leaf, f"{stage}_inputs", texts)
        setattr(leaf, f"{stage}_points", points)
        new[stage] = _s(points)
    return None if old == new else (old, new)


def _scored(
    node: Node, m: Methodology, inputs: dict[str, str], name: str, text: str | None
) -> tuple[dict[str, str], Decimal | None]:
    texts = {k: v for k, v in inputs.items() if k != name}
    if text is not None:
        texts[name] = text
    if not texts:  # as a leaf nobody has entered: no points yet
        return texts, None
    scoring = score_texts(node, texts, m)
    if scoring.errors:  # an index outside 0–100 would be a core bug: refuse, change nothing
        message = next(iter(scoring.errors.values()))
        raise ServiceError(f"{node.code}: {message}")
    return texts, scoring.points


def _s(value: object) -> str | None:
    return None if value is None else str(value)

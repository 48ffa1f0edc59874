"""Self-assessment use cases: save a leaf's inputs, submit the assessment.

Each is one transaction that checks permission and deadlines again on the server, refuses a
stale edit (the leaf's ``version`` moved on), scores with the core engine and records an
event.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.web.accounts.models import User
from parindex.web.common import ServiceError, StaleEdit, bounded, not_found
from parindex.web.periods.models import PeriodState
from parindex.web.periods.services import methodology_of

from . import policy
from .models import Assessment, AssessmentState, Event, LeafScore, Stage
from .scoring import clean_inputs, score_texts


def self_edit_refusal(assessment: Assessment, leaf: LeafScore | None = None) -> str:
    """Why the unit cannot edit now (empty when it can). Checked on every save."""
    period = assessment.period
    if period.state_at_least(PeriodState.FINAL):
        return _("Kỳ đánh giá đã chốt điểm: không sửa được nữa.")
    if leaf is not None and leaf.reopened:
        return ""
    if assessment.state == AssessmentState.SUBMITTED:
        return _("Đơn vị đã gửi bản tự đánh giá: không sửa được, trừ tiêu chí được mở lại.")
    if period.state != PeriodState.OPEN:
        return _("Kỳ đánh giá không còn ở giai đoạn tự đánh giá.")
    if timezone.now() > period.self_assessment_deadline:
        deadline = timezone.localtime(period.self_assessment_deadline)
        return _("Đã quá hạn tự đánh giá (%(when)s).") % {"when": f"{deadline:%H:%M %d/%m/%Y}"}
    return ""


def stale(leaf: LeafScore) -> StaleEdit:
    who = str(leaf.updated_by) if leaf.updated_by_id else _("người khác")
    at = timezone.localtime(leaf.updated_at).strftime("%H:%M:%S %d/%m/%Y")
    message = _(
        "Tiêu chí này vừa được %(who)s lưu lúc %(at)s; giá trị mới nhất đang hiển thị. "
        "Hãy xem lại rồi lưu."
    ) % {"who": who, "at": at}
    return StaleEdit(message, current=leaf)


def _locked_leaf(
    leaf_id: int | None = None, *, assessment_id: int = 0, code: str = ""
) -> LeafScore:
    """The leaf locked for this transaction, by id or by (assessment, node code); 404 when
    there is none (a page can name a leaf by its code without reading it first)."""
    rows = (
        LeafScore.objects.select_for_update(of=("self",))
        .select_related("assessment__period", "assessment__methodology", "updated_by")
        .defer("assessment__methodology__text")
    )
    if leaf_id is not None:
        return rows.get(pk=leaf_id)
    leaf = rows.filter(assessment_id=assessment_id, node_code=code).first()
    if leaf is None:
        not_found()
    return leaf


SELF_FIELDS = ["self_inputs", "self_points", "self_note", "version", "updated_by", "updated_at"]


@transaction.atomic
def leaf_save_self(
    *,
    actor: User,
    leaf: LeafScore,
    inputs: Mapping[str, object],
    note: str,
    version: int,
) -> LeafScore:
    """Store the unit's inputs for one leaf and the points the core engine gives them.

    ``leaf`` may be a row read earlier or just ``LeafScore(assessment=…, node_code=…)``: the
    row is read again, locked, in this transaction either way."""
    if leaf.pk is None:
        leaf = _locked_leaf(assessment_id=leaf.assessment_id, code=leaf.node_code)
    else:
        leaf = _locked_leaf(leaf.pk)
    assessment = leaf.assessment
    if not policy.may_edit_self(actor, assessment):
        not_found()
    refusal = self_edit_refusal(assessment, leaf)
    if refusal:
        raise ServiceError(refusal)
    if leaf.version != version:
        raise stale(leaf)
    m = methodology_of(assessment.methodology)
    node = m.node(leaf.node_code)
    texts = clean_inputs(node, inputs, unit_editable=True)
    # survey inputs are never self-scored: keep what the survey import put there
    texts.update({k: v for k, v in leaf.self_inputs.items() if _is_survey(node, k)})
    scoring = score_texts(node, texts, m)
    if scoring.errors:
        name, message = next(iter(scoring.errors.items()))
        label = next(s.label or s.name for s in node.inputs if s.name == name)
        raise ServiceError(f"{label}: {message}", field=name)
    note = bounded(note, 5000, _("Ghi chú, thuyết minh"), "note")
    old = {"inputs": leaf.self_inputs, "points": _s(leaf.self_points), "note": leaf.self_note}
    new = {"inputs": texts, "points": _s(scoring.points), "note": note}
    if old == new:
        return leaf
    leaf.self_inputs, leaf.self_points, leaf.self_note = texts, scoring.points, note
    leaf.version += 1
    leaf.updated_by = actor
    leaf.save(update_fields=SELF_FIELDS)
    Event.objects.create(
        assessment=assessment,
        node_code=leaf.node_code,
        stage=Stage.SELF,
        action="save",
        actor=actor,
        old=old,
        new=new,
    )
    return leaf


def _is_survey(node: object, name: str) -> bool:
    return any(s.name == name and s.survey for s in getattr(node, "inputs", ()))


def _s(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass
class Checklist:
    """What is missing before submission."""

    incomplete: list[str]
    evidence_missing: list[str]

    @property
    def empty(self) -> bool:
        return not self.incomplete and not self.evidence_missing


def submission_checklist(assessment: Assessment) -> Checklist:
    m = methodology_of(assessment.methodology)
    leaves = assessment.leaves.all()
    linked = set(
        assessment.leaves.filter(evidence_links__isnull=False).values_list("node_code", flat=True)
    )
    incomplete, no_evidence = [], []
    for leaf in leaves:
        node = m.node(leaf.node_code)
        if any(not s.survey for s in node.inputs) and leaf.self_points is None:
            incomplete.append(leaf.node_code)
        if node.evidence_required and leaf.node_code not in linked:
            no_evidence.append(leaf.node_code)
    return Checklist(sorted(incomplete, key=_key), sorted(no_evidence, key=_key))


def _key(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


@transaction.atomic
def assessment_submit(
    *, actor: User, assessment: Assessment, acknowledge_missing: bool = False
) -> Assessment:
    """The unit head submits (or, after a reopening, re-submits) the self-assessment."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period")
        .get(pk=assessment.pk)
    )
    if not policy.is_own_unit(actor, assessment):
        not_found()
    if not policy.may_submit(actor, assessment):
        raise ServiceError(_("Chỉ lãnh đạo đơn vị được gửi bản tự đánh giá."))
    reopened = assessment.leaves.filter(reopened=True)
    if assessment.state == AssessmentState.SUBMITTED:
        if not reopened.exists():
            raise ServiceError(_("Bản tự đánh giá đã được gửi."))
        if assessment.period.state_at_least(PeriodState.FINAL):
            raise ServiceError(_("Kỳ đánh giá đã chốt điểm."))
        codes = sorted(reopened.values_list("node_code", flat=True), key=_key)
        reopened.update(reopened=False)
        _event(assessment, actor, "resubmit", {"nodes": codes})
        return assessment
    refusal = self_edit_refusal(assessment)
    if refusal:
        raise ServiceError(refusal)
    checklist = submission_checklist(assessment)
    if not checklist.empty and not acknowledge_missing:
        raise ServiceError(
            _(
                "Còn %(incomplete)s tiêu chí chưa chấm và %(missing)s tiêu chí thiếu tài liệu "
                "kiểm chứng; hãy xác nhận để vẫn gửi."
            )
            % {
                "incomplete": len(checklist.incomplete),
                "missing": len(checklist.evidence_missing),
            }
        )
    assessment.state = AssessmentState.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    assessment.save(update_fields=["state", "submitted_at", "submitted_by"])
    _event(assessment, actor, "submit", {"incomplete": checklist.incomplete})
    return assessment


def _event(assessment: Assessment, actor: User, action: str, new: dict[str, object]) -> None:
    Event.objects.create(
        assessment=assessment, stage=Stage.SELF, action=action, actor=actor, new=new
    )

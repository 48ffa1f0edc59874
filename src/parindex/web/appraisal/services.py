"""Appraisal use cases: appraise a leaf, request an explanation, answer it, decide.

Deadlines and assignments are checked on the server in every call; each change is one
transaction with an event (who, when, stage, old → new, reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.web.accounts.models import User
from parindex.web.assessments import policy as assessment_policy
from parindex.web.assessments.models import (
    AppraisalStatus,
    Assessment,
    Event,
    LeafScore,
    Stage,
)
from parindex.web.assessments.scoring import clean_inputs, score_texts
from parindex.web.assessments.services import _locked_leaf, stale
from parindex.web.common import ServiceError, bounded, not_found
from parindex.web.evidence.models import Evidence
from parindex.web.periods.models import Period, PeriodState
from parindex.web.periods.services import methodology_of

from . import policy
from .models import ExplanationRequest, Message, RequestState


def _late(deadline: datetime, message: str) -> None:
    """Refuse after ``deadline``; ``message`` is translated and has a ``%(when)s``."""
    if timezone.now() > deadline:
        when = timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")
        raise ServiceError(message % {"when": when})


def _appraisal_open(period: Period) -> None:
    if period.state not in (PeriodState.OPEN, PeriodState.APPRAISAL, PeriodState.EXPLANATION):
        raise ServiceError(_("Kỳ đánh giá không ở giai đoạn thẩm định."))
    _late(period.appraisal_deadline, _("Đã quá hạn thẩm định (%(when)s)."))


def _check_appraiser(actor: User, leaf: LeafScore) -> None:
    a = leaf.assessment
    m = methodology_of(a.methodology)
    area = m.node(leaf.node_code).area.code
    if not policy.may_appraise(actor, a, area):
        not_found()


def _score(leaf: LeafScore, inputs: Mapping[str, object]) -> tuple[dict[str, str], object]:
    m = methodology_of(leaf.assessment.methodology)
    node = m.node(leaf.node_code)
    texts = clean_inputs(node, inputs, unit_editable=False)
    scoring = score_texts(node, texts, m)
    if scoring.errors:
        name, message = next(iter(scoring.errors.items()))
        label = next(s.label or s.name for s in node.inputs if s.name == name)
        raise ServiceError(f"{label}: {message}", field=name)
    return texts, scoring.points


@transaction.atomic
def leaf_appraise(
    *,
    actor: User,
    leaf: LeafScore,
    accept: bool,
    inputs: Mapping[str, object] | None,
    remark: str,
    version: int,
) -> LeafScore:
    """Accept the unit's score, or set the appraised inputs (a remark is then required)."""
    leaf = _locked_leaf(leaf.pk)
    _check_appraiser(actor, leaf)
    _appraisal_open(leaf.assessment.period)
    if leaf.version != version:
        raise stale(leaf)
    remark = bounded(remark, 5000, _("Nhận xét"), "remark")
    old = _stage_state(leaf)
    if accept:
        leaf.appraisal_status = AppraisalStatus.ACCEPTED
        leaf.appraised_inputs, leaf.appraised_points = dict(leaf.self_inputs), leaf.self_points
    else:
        texts, points = _score(leaf, inputs or {})
        if points != leaf.self_points and not remark:
            raise ServiceError(_("Phải ghi nhận xét khi điều chỉnh điểm tự chấm."), field="remark")
        same = points == leaf.self_points
        leaf.appraisal_status = AppraisalStatus.ACCEPTED if same else AppraisalStatus.CHANGED
        leaf.appraised_inputs, leaf.appraised_points = texts, points
    leaf.appraisal_remark = remark
    _save(leaf, actor, Stage.APPRAISAL, "appraise", old, remark)
    return leaf


def _stage_state(leaf: LeafScore) -> dict[str, object]:
    return {
        "self": _p(leaf.self_points),
        "appraised": _p(leaf.appraised_points),
        "final": _p(leaf.final_points),
        "inputs": leaf.effective_inputs(),
    }


def _p(value: object) -> str | None:
    return None if value is None else str(value)


def _save(leaf: LeafScore, actor: User, stage: str, action: str, old: dict, reason: str) -> None:  # type: ignore[type-arg]
    leaf.version += 1
    leaf.updated_by = actor
    leaf.save()
    Event.objects.create(
        assessment=leaf.assessment,
        node_code=leaf.node_code,
        stage=stage,
        action=action,
        actor=actor,
        old=old,
        new=_stage_state(leaf),
        reason=reason,
    )


@transaction.atomic
def explanation_request(*, actor: User, leaf: LeafScore, question: str) -> ExplanationRequest:
    leaf = _locked_leaf(leaf.pk)
    _check_appraiser(actor, leaf)
    _appraisal_open(leaf.assessment.period)
    question = bounded(question, 5000, _("Nội dung yêu cầu giải trình"), "question")
    if not question:
        raise ServiceError(_("Hãy ghi nội dung cần đơn vị giải trình."), field="question")
    if ExplanationRequest.objects.filter(leaf=leaf).exists():
        raise ServiceError(_("Tiêu chí này đã có yêu cầu giải trình; hãy trao đổi trong đó."))
    req = ExplanationRequest.objects.create(leaf=leaf, requested_by=actor)
    Message.objects.create(request=req, author=actor, text=question)
    Event.objects.create(
        assessment=leaf.assessment,
        node_code=leaf.node_code,
        stage=Stage.APPRAISAL,
        action="request_explanation",
        actor=actor,
        reason=question,
    )
    return req


@transaction.atomic
def explanation_answer(
    *, actor: User, request: ExplanationRequest, text: str, evidence_ids: Iterable[int] = ()
) -> Message:
    """The unit answers in the thread, citing evidence it already has or has just added."""
    req = (
        ExplanationRequest.objects.select_for_update(of=("self",))
        .select_related("leaf__assessment__period")
        .get(pk=request.pk)
    )
    assessment = req.leaf.assessment
    if not assessment_policy.is_own_unit(actor, assessment):
        not_found()
    if req.state == RequestState.DECIDED:
        raise ServiceError(_("Yêu cầu giải trình này đã có kết luận."))
    period = assessment.period
    if period.state_at_least(PeriodState.FINAL):
        raise ServiceError(_("Kỳ đánh giá đã chốt điểm."))
    _late(period.explanation_deadline, _("Đã quá hạn giải trình (%(when)s)."))
    text = bounded(text, 10000, _("Nội dung giải trình"), "text")
    if not text:
        raise ServiceError(_("Hãy ghi nội dung giải trình."), field="text")
    evidence = list(Evidence.objects.filter(assessment=assessment, pk__in=list(evidence_ids)))
    msg = Message.objects.create(request=req, author=actor, text=text)
    msg.evidence.set(evidence)
    req.state = RequestState.ANSWERED
    req.save(update_fields=["state"])
    Event.objects.create(
        assessment=assessment,
        node_code=req.leaf.node_code,
        stage=Stage.EXPLANATION,
        action="answer",
        actor=actor,
        new={"evidence": [e.pk for e in evidence]},
        reason=text,
    )
    return msg


@transaction.atomic
def explanation_decide(
    *,
    actor: User,
    request: ExplanationRequest,
    inputs: Mapping[str, object] | None,
    keep_appraised: bool,
    remark: str,
    version: int,
) -> LeafScore:
    """The appraiser decides the final score of a leaf after the unit's explanation."""
    req = ExplanationRequest.objects.select_for_update().get(pk=request.pk)
    leaf = _locked_leaf(req.leaf_id)
    _check_appraiser(actor, leaf)
    period = leaf.assessment.period
    if period.state_at_least(PeriodState.FINAL):
        raise ServiceError(_("Kỳ đánh giá đã chốt điểm."))
    _late(period.finalization_deadline, _("Đã quá hạn chốt điểm (%(when)s)."))
    if leaf.version != version:
        raise stale(leaf)
    remark = bounded(remark, 5000, _("Kết luận"), "remark")
    if not remark:
        raise ServiceError(_("Hãy ghi kết luận sau giải trình."), field="remark")
    old = _stage_state(leaf)
    if keep_appraised:
        leaf.final_inputs = leaf.effective_inputs()
        leaf.final_points = leaf.effective_points()
    else:
        leaf.final_inputs, leaf.final_points = _score(leaf, inputs or {})
    leaf.final_remark = remark
    _save(leaf, actor, Stage.FINAL, "decide", old, remark)
    req.state = RequestState.DECIDED
    req.decided_at = timezone.now()
    req.save(update_fields=["state", "decided_at"])
    Message.objects.create(request=req, author=actor, text=remark)
    return leaf


def requests_for_unit(actor: User, assessment: Assessment) -> list[ExplanationRequest]:
    """The unit's explanation inbox for one assessment (one query for the requests)."""
    if not assessment_policy.is_own_unit(actor, assessment) and not actor.is_admin:
        not_found()
    return list(
        ExplanationRequest.objects.filter(leaf__assessment=assessment)
        .select_related("leaf")
        .prefetch_related("messages__author", "messages__evidence")
        .order_by("state", "requested_at")
    )

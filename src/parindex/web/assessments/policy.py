"""Who may see and change an assessment. Default deny; what one may not see is a 404.

- administrator: every assessment (reads; reopens leaves);
- unit officer / head: their own unit's assessments only; the head alone submits;
- appraiser: submitted assessments of the units assigned to them in that period;
- leader / viewer: results and dashboards only, never an assessment in progress.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from parindex.web.accounts.models import Role, User
from parindex.web.appraisal.models import Assignment

from .models import Assessment, AssessmentState


def visible_assessments(user: User) -> QuerySet[Assessment]:
    qs = Assessment.objects.select_related("period", "unit", "unit__group", "methodology").defer(
        "methodology__text"
    )
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_admin:
        return qs
    if user.is_unit_user:
        return qs.filter(unit_id=user.unit_id)
    if user.role == Role.APPRAISER:
        assigned = Assignment.objects.filter(
            appraiser=user, period_id=OuterRef("period_id")
        ).filter(Q(unit__isnull=True) | Q(unit_id=OuterRef("unit_id")))
        return qs.filter(Exists(assigned), state=AssessmentState.SUBMITTED)
    return qs.none()


def is_own_unit(user: User, assessment: Assessment) -> bool:
    return user.is_active and user.is_unit_user and user.unit_id == assessment.unit_id


def may_edit_self(user: User, assessment: Assessment) -> bool:
    return is_own_unit(user, assessment)


def may_submit(user: User, assessment: Assessment) -> bool:
    return is_own_unit(user, assessment) and user.role == Role.HEAD

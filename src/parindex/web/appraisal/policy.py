"""Who may appraise what: an appraiser, for the units and areas assigned in that period."""

from __future__ import annotations

from parindex.web.accounts.models import Role, User
from parindex.web.assessments.models import Assessment

from .models import Assignment


def assigned_areas(user: User, assessment: Assessment) -> set[str] | None:
    """Area codes the user may appraise in this assessment; ``None`` means every area.

    An empty set means none.
    """
    if not (user.is_active and user.role == Role.APPRAISER):
        return set()
    rows = Assignment.objects.filter(period_id=assessment.period_id, appraiser=user).values_list(
        "unit_id", "area_code"
    )
    areas: set[str] = set()
    for unit_id, area in rows:
        if unit_id not in (None, assessment.unit_id):
            continue
        if not area:
            return None
        areas.add(area)
    return areas


def may_appraise(user: User, assessment: Assessment, area_code: str) -> bool:
    if not assessment.submitted:
        return False
    areas = assigned_areas(user, assessment)
    return areas is None or area_code in areas


def may_use_queue(user: User) -> bool:
    return user.is_active and user.role == Role.APPRAISER


def may_open_appraisal_page(user: User) -> bool:
    """Appraisers (their assessments are filtered by assignment) and the administrator (reads)."""
    return user.is_active and (user.role == Role.APPRAISER or user.is_admin)


def may_read_inbox(user: User, assessment: Assessment) -> bool:
    from parindex.web.assessments.policy import is_own_unit

    return is_own_unit(user, assessment) or user.is_admin

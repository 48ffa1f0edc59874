"""Who may download an evidence file: whoever may see its assessment (default deny)."""

from __future__ import annotations

from parindex.web.accounts.models import User
from parindex.web.assessments import policy as assessment_policy

from .models import Evidence


def may_download(user: User, evidence: Evidence) -> bool:
    visible = assessment_policy.visible_assessments(user)
    return visible.filter(pk=evidence.assessment_id).exists()


def may_add(user: User, assessment_unit_id: int) -> bool:
    """Only the unit's own officer or head adds evidence to its assessment."""
    return user.is_active and user.is_unit_user and user.unit_id == assessment_unit_id

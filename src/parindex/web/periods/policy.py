"""Who may manage periods and methodologies, and which periods a user is shown.

Default deny: only the administrator manages; others see the periods they take part in
(their unit's, their appraisal assignments') once opened, and those whose results they may
read.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from parindex.web.accounts.models import Role, User

from .models import Period, PeriodState


def may_manage(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def visible_periods(user: User) -> QuerySet[Period]:
    if not user.is_authenticated or not user.is_active:
        return Period.objects.none()
    if user.is_admin:
        return Period.objects.all()
    from parindex.web.results.policy import readable_states

    shown = Q(state__in=readable_states(user))
    if user.is_unit_user:
        shown |= Q(assessments__unit_id=user.unit_id)
    if user.role == Role.APPRAISER:
        shown |= Q(pk__in=user.assignments.values("period_id"))
    return Period.objects.filter(shown).exclude(state=PeriodState.DRAFT).distinct()

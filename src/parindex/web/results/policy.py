"""Who sees results. Default deny; what one may not see answers like what does not exist (404).

| who                          | ranking of a period    | a unit's scorecard          |
|------------------------------|------------------------|-----------------------------|
| administrator, leader/viewer | final or published     | every unit, final/published |
| appraiser                    | published              | every unit, published       |
| unit officer / head          | published              | own unit only, published    |
| anyone, without logging in   | public pages only: the ranking of published periods   |

A user whose role is not in this table (or who is inactive) sees nothing internal.
"""

from __future__ import annotations

from django.db.models import QuerySet

from parindex.web.accounts.models import Role, User
from parindex.web.common import not_found
from parindex.web.periods.models import Period, PeriodState

AFTER_FINAL = frozenset({PeriodState.FINAL.value, PeriodState.PUBLISHED.value})
PUBLISHED = frozenset({PeriodState.PUBLISHED.value})

# Role → the period states whose results the role may read, and whether any unit's scorecard.
_READ: dict[str, tuple[frozenset[str], bool]] = {
    Role.ADMIN.value: (AFTER_FINAL, True),
    Role.VIEWER.value: (AFTER_FINAL, True),
    Role.APPRAISER.value: (PUBLISHED, True),
    Role.OFFICER.value: (PUBLISHED, False),
    Role.HEAD.value: (PUBLISHED, False),
}


def _rule(user: User) -> tuple[frozenset[str], bool]:
    if not user.is_authenticated or not user.is_active:
        return frozenset(), False
    if user.is_admin:  # a superuser whatever their role
        return _READ[Role.ADMIN.value]
    return _READ.get(user.role, (frozenset(), False))


def readable_states(user: User) -> frozenset[str]:
    """Period states whose results ``user`` may read on the internal pages."""
    return _rule(user)[0]


def results_periods(user: User) -> QuerySet[Period]:
    """Periods whose ranking ``user`` may read (internal pages)."""
    states = readable_states(user)
    return Period.objects.filter(state__in=states) if states else Period.objects.none()


def public_periods() -> QuerySet[Period]:
    """Periods anyone may read without logging in: published ones only."""
    return Period.objects.filter(state__in=PUBLISHED)


def may_see_unit(user: User, period: Period, unit_id: int) -> bool:
    """May ``user`` open the scorecard (and its trace and score sheet) of this unit?"""
    states, every_unit = _rule(user)
    if period.state not in states:
        return False
    return every_unit or (user.is_unit_user and user.unit_id == unit_id)


def period_or_404(user: User, pk: int) -> Period:
    period = results_periods(user).filter(pk=pk).first()
    if period is None:
        not_found()
    return period


def public_period_or_404(pk: int) -> Period:
    period = public_periods().filter(pk=pk).first()
    if period is None:
        not_found()
    return period

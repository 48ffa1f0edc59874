"""Who manages surveys and who reads their results. Default deny; what one may not see
answers like what does not exist (404).

| who                 | instruments, imports | ranking of an import | one unit's results |
|---------------------|----------------------|----------------------|--------------------|
| administrator       | manages              | any period state     | every unit         |
| leader / viewer     | —                    | any period state     | every unit         |
| appraiser           | —                    | published periods    | every unit         |
| unit officer / head | —                    | published periods    | own unit only      |
| anyone else         | —                    | —                    | —                  |

Why leaders read survey results before the period is final: a survey is an outside
measurement, not a score under appraisal; the reform office reports it to the provincial
leadership as soon as it is imported. Everybody else follows the results policy
(:mod:`parindex.web.results.policy`): units and appraisers see survey results with the
published results. Only applied imports are results; previews and discarded imports are the
administrator's working files.
"""

from __future__ import annotations

from django.db.models import QuerySet

from parindex.web.accounts.models import Role, User
from parindex.web.common import not_found
from parindex.web.periods.models import Period, PeriodState
from parindex.web.results.policy import readable_states

from .models import ImportState, SurveyImport

_EVERY_STATE = frozenset(s.value for s in PeriodState)


def may_manage(user: User) -> bool:
    return user.is_authenticated and user.is_admin


def _states(user: User) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_admin or user.role == Role.VIEWER:
        return _EVERY_STATE
    return readable_states(user)


def _every_unit(user: User) -> bool:
    return user.is_admin or user.role in (Role.VIEWER, Role.APPRAISER)


def readable_imports(user: User) -> QuerySet[SurveyImport]:
    """Applied imports whose results ``user`` may read."""
    states = _states(user)
    if not states:
        return SurveyImport.objects.none()
    return SurveyImport.objects.filter(state=ImportState.APPLIED, period__state__in=states)


def may_see_unit(user: User, period: Period, unit_id: int) -> bool:
    """May ``user`` open one unit's survey results in ``period``?"""
    if period.state not in _states(user):
        return False
    return _every_unit(user) or (user.is_unit_user and user.unit_id == unit_id)


def managed_period_or_404(user: User, pk: int) -> Period:
    if not may_manage(user):
        not_found()
    period = Period.objects.filter(pk=pk).first()
    if period is None:
        not_found()
    return period


def managed_import_or_404(user: User, pk: int) -> SurveyImport:
    if not may_manage(user):
        not_found()
    found = SurveyImport.objects.select_related("period", "instrument", "created_by").filter(pk=pk)
    survey_import = found.first()
    if survey_import is None:
        not_found()
    return survey_import


def readable_import_or_404(user: User, pk: int) -> SurveyImport:
    found = readable_imports(user).select_related("period", "instrument").filter(pk=pk).first()
    if found is None:
        not_found()
    return found

"""What an API caller may read, besides results. Default deny; what one may not see is a 404.

- periods: anybody sees the published ones; administrators and leaders/viewers every period;
- units and methodologies: any signed-in user (token or session), never anonymous callers;
- results: :mod:`parindex.web.results.policy` decides, as for the results pages; the API adds
  only that anybody may read the ranking of a published period (:func:`results_periods`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from parindex.web.accounts.models import Role, User
from parindex.web.periods.models import Period, PeriodState
from parindex.web.results import policy as results_policy

Caller = User | AnonymousUser


def sees_everything(user: Caller) -> bool:
    """Administrators and leaders follow every period, before it is published too."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_admin or user.role == Role.VIEWER


def may_read_reference_data(user: Caller) -> bool:
    """Units and methodologies are for signed-in users only."""
    return isinstance(user, User) and user.is_active


def visible_periods(user: Caller) -> QuerySet[Period]:
    qs = Period.objects.all()
    if sees_everything(user):
        return qs
    return qs.filter(state=PeriodState.PUBLISHED)


def results_periods(user: Caller) -> QuerySet[Period]:
    """Periods whose ranking the caller may read: the public ones, plus what the results
    policy grants a signed-in user (final periods for administrators and leaders)."""
    public = results_policy.public_periods()
    if not isinstance(user, User):
        return public
    return public | results_policy.results_periods(user)

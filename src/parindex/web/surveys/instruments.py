"""Stored instruments as core objects, shipped samples, and whether one fits a period.

The parsed instrument is cached per SHA-256 (immutable content, so the cache is safe in
every process), like :func:`parindex.web.periods.services.methodology_of`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from django.utils.translation import gettext as _

from parindex.core import Issue
from parindex.core.survey import Instrument, check_mapping, loads_instrument, shipped_instruments
from parindex.web.periods.models import MethodologyVersion, Period
from parindex.web.periods.services import methodology_of

from .models import SurveyInstrument

_PARSED: dict[str, Instrument] = {}
_PARSED_MAX = 32


def instrument_of(stored: SurveyInstrument) -> Instrument:
    """The parsed instrument of a stored one (its ``text`` is read only on a cache miss)."""
    parsed = _PARSED.get(stored.sha256)
    if parsed is None:
        parsed = loads_instrument(stored.text, source=stored.source_name)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[stored.sha256] = parsed
    return parsed


def shipped_names() -> list[str]:
    """File names of the sample instruments shipped in the package."""
    return shipped_instruments()


def shipped_text(name: str) -> str:
    return (resources.files("parindex") / "surveys" / name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One line of an error report: where (row, column) and what (code, message)."""

    row: int | None
    column: str | None
    code: str
    message: str
    node: str | None = None

    @classmethod
    def of(cls, issue: Issue) -> ReportLine:
        return cls(issue.line, issue.column, issue.code, issue.message, issue.node)


@dataclass
class MappingCheck:
    """Does an instrument feed the period's methodologies? ``errors`` block an import;
    ``unmapped`` methodologies simply get nothing from this instrument."""

    errors: list[ReportLine] = field(default_factory=list)
    mapped: list[MethodologyVersion] = field(default_factory=list)
    unmapped: list[MethodologyVersion] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.errors and bool(self.mapped)


def period_versions(period: Period) -> list[MethodologyVersion]:
    ids = period.groups.values("methodology_id")
    return list(MethodologyVersion.objects.filter(pk__in=ids).order_by("code", "pk"))


def mapping_check(instrument: Instrument, versions: Iterable[MethodologyVersion]) -> MappingCheck:
    """:func:`parindex.core.survey.check_mapping` against each methodology of a period."""
    check = MappingCheck()
    for version in versions:
        m = methodology_of(version)
        if not instrument.mappings_for(m.id):
            check.unmapped.append(version)
            continue
        check.mapped.append(version)
        check.errors += [ReportLine.of(i) for i in check_mapping(instrument, m)]
    if not check.mapped:
        message = _(
            "Công cụ khảo sát %(code)s không có ánh xạ tới bộ tiêu chí nào của kỳ đánh giá này."
        ) % {"code": instrument.id}
        check.errors.append(ReportLine(None, None, "S073", message))
    return check

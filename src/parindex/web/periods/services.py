"""Use cases of methodologies and periods: register a methodology, open and move a period.

Every function takes the acting user, checks the permission again and runs in one
transaction. Methodology text is validated by the core loader; the parsed tree is cached per
SHA-256 (immutable, so the cache is safe in every process).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from importlib import resources

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import Methodology, MethodologyError, loads_methodology
from parindex.web.accounts.models import User
from parindex.web.assessments.models import Assessment, Event, LeafScore, Stage
from parindex.web.common import ServiceError, bounded, short_name
from parindex.web.units.models import Unit, UnitGroup

from .models import STATE_ORDER, MethodologyVersion, Period, PeriodGroup, PeriodState

_PARSED: dict[str, Methodology] = {}
_PARSED_MAX = 64


def methodology_of(version: MethodologyVersion) -> Methodology:
    """The parsed methodology of a stored version, cached per SHA-256 (immutable content).

    Callers may load versions with their ``text`` deferred: it is read only on a cache miss.
    """
    parsed = _PARSED.get(version.sha256)
    if parsed is None:
        parsed = loads_methodology(version.text, source=version.source_name)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[version.sha256] = parsed
    return parsed


def shipped_methodologies() -> list[str]:
    """File names of the methodologies shipped in the package."""
    folder = resources.files("parindex") / "methodologies"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ServiceError(_("Chỉ cán bộ quản trị (Sở Nội vụ) được làm việc này."))


def methodology_register(*, actor: User, text: str, source_name: str) -> MethodologyVersion:
    """Validate a methodology text with the core loader and store it (once per content)."""
    _require_admin(actor)
    try:
        parsed = loads_methodology(text, source=source_name)
    except MethodologyError as exc:
        lines = [str(issue) for issue in exc.issues]
        raise ServiceError("\n".join([_("Bộ tiêu chí không hợp lệ:"), *lines])) from None
    bounded(parsed.id, 100, _("Mã bộ tiêu chí (id)"), "file")
    bounded(parsed.title, 500, _("Tên bộ tiêu chí (title)"), "file")
    sha = hashlib.sha256(text.encode()).hexdigest()
    version, _created = MethodologyVersion.objects.get_or_create(
        sha256=sha,
        defaults={
            "code": parsed.id,
            "title": parsed.title,
            "year": parsed.year,
            "status": parsed.status,
            "source_name": short_name(source_name),
            "text": text,
        },
    )
    return version


def methodology_register_shipped(*, actor: User, name: str) -> MethodologyVersion:
    if name not in shipped_methodologies():
        raise ServiceError(_("Không có bộ tiêu chí mẫu '%(name)s'.") % {"name": name})
    text = (resources.files("parindex") / "methodologies" / name).read_text(encoding="utf-8")
    return methodology_register(actor=actor, text=text, source_name=name)


@transaction.atomic
def period_create(
    *,
    actor: User,
    year: int,
    name: str,
    deadlines: dict[str, datetime],
    methodologies: dict[UnitGroup, MethodologyVersion],
) -> Period:
    """A draft period with its deadlines and the methodology of each ranking group."""
    _require_admin(actor)
    order = [
        "self_assessment_deadline",
        "appraisal_deadline",
        "explanation_deadline",
        "finalization_deadline",
    ]
    missing = [k for k in order if k not in deadlines]
    if missing:
        raise ServiceError(_("Thiếu hạn: %(names)s") % {"names": ", ".join(missing)})
    if [deadlines[k] for k in order] != sorted(deadlines[k] for k in order):
        raise ServiceError(
            _("Các hạn phải theo thứ tự: tự đánh giá ≤ thẩm định ≤ giải trình ≤ chốt điểm.")
        )
    if not methodologies:
        raise ServiceError(_("Kỳ đánh giá cần ít nhất một khối đơn vị với bộ tiêu chí."))
    name = bounded(name, 255, _("Tên kỳ đánh giá"), "name")
    period = Period.objects.create(year=year, name=name, **{k: deadlines[k] for k in order})
    PeriodGroup.objects.bulk_create(
        PeriodGroup(period=period, group=g, methodology=m) for g, m in methodologies.items()
    )
    return period


@transaction.atomic
def period_open(*, actor: User, period: Period, units: Iterable[Unit] | None = None) -> int:
    """Open self-assessment: one assessment per participating unit, one row per leaf.

    Participating units are ``units`` when given (e.g. a year before a reorganisation),
    else those of the period's groups that exist on the reference day (see
    :func:`_participants`); either way only units of the period's groups whose type the
    group's methodology covers. Returns the number of assessments created.
    """
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state != PeriodState.DRAFT:
        raise ServiceError(_("Chỉ mở được kỳ đánh giá đang ở trạng thái dự thảo."))
    created = 0
    for pg in period.groups.select_related("methodology", "group"):
        m = methodology_of(pg.methodology)
        chosen = (
            _participants(pg.group, period, m)
            if units is None
            else [u for u in units if u.group_id == pg.group_id and u.type in m.unit_types]
        )
        Assessment.objects.bulk_create(
            Assessment(period=period, unit=u, methodology=pg.methodology) for u in chosen
        )
        created += len(chosen)
        for unit_type in {u.type for u in chosen}:
            codes = [
                leaf.code
                for leaf in m.leaves()
                if leaf.applies_to is None or unit_type in leaf.applies_to
            ]
            _insert_leaves(period, pg, unit_type, codes)
    period.state = PeriodState.OPEN
    period.save(update_fields=["state"])
    return created


def _insert_leaves(period: Period, pg: PeriodGroup, unit_type: str, codes: list[str]) -> None:
    """One empty leaf row per (assessment, leaf) in a single INSERT … SELECT.

    At national scale (3,300 units × 150 leaves) this takes seconds where creating the rows
    through the ORM took 30–40 s, longer than a web worker's request timeout. The column
    defaults are those of :class:`LeafScore`; a test compares the rows with ORM-made ones.
    """
    if not codes:
        return
    leaf, a, u = LeafScore._meta.db_table, Assessment._meta.db_table, Unit._meta.db_table
    values = ", ".join(["(%s)"] * len(codes))
    sql = (
        f"INSERT INTO {leaf} (assessment_id, node_code, self_inputs, self_note, "
        "appraisal_status, appraisal_remark, final_remark, reopened, reopen_reason, version, "
        "updated_at) "
        f"SELECT a.id, v.column1, %s, '', '', '', '', %s, '', 1, %s "
        f"FROM {a} a JOIN {u} u ON u.id = a.unit_id CROSS JOIN (VALUES {values}) v "
        "WHERE a.period_id = %s AND u.group_id = %s AND u.type = %s"
    )
    params = ["{}", False, timezone.now(), *codes, period.pk, pg.group_id, unit_type]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _participants(group: UnitGroup, period: Period, m: Methodology) -> list[Unit]:
    """Units of the group that exist on the period's reference day: the end of its year, or
    the self-assessment deadline if that comes first (so units merged away during the year
    are assessed through the units they became)."""
    day = min(date(period.year, 12, 31), timezone.localdate(period.self_assessment_deadline))
    units = Unit.objects.filter(group=group, type__in=m.unit_types)
    return [
        u
        for u in units
        if (u.valid_from is None or u.valid_from <= day)
        and (u.valid_to is None or u.valid_to >= day)
    ]


@transaction.atomic
def period_advance(*, actor: User, period: Period, to: str) -> Period:
    """Move a period one step on: open → appraisal → explanation. (Final and published have
    their own use cases, in :mod:`parindex.web.results.services`.)"""
    _require_admin(actor)
    period = Period.objects.select_for_update().get(pk=period.pk)
    allowed = {PeriodState.OPEN: PeriodState.APPRAISAL, PeriodState.APPRAISAL: "explanation"}
    if allowed.get(PeriodState(period.state)) != to:
        cur = PeriodState(period.state).label
        raise ServiceError(
            _("Không chuyển được kỳ đánh giá từ '%(current)s' sang '%(target)s'.")
            % {"current": cur, "target": to}
        )
    period.state = to
    period.save(update_fields=["state"])
    return period


def deadline_passed(deadline: datetime) -> bool:
    return timezone.now() > deadline


def state_index(state: str) -> int:
    return STATE_ORDER.index(state)


@transaction.atomic
def leaf_reopen(*, actor: User, leaf: LeafScore, reason: str) -> LeafScore:
    """Let one unit edit one sub-criterion again after submission; the unit sees the reason."""
    _require_admin(actor)
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Phải ghi lý do mở lại tiêu chí."), field="reason")
    leaf = (
        LeafScore.objects.select_for_update(of=("self",))
        .select_related("assessment__period")
        .get(pk=leaf.pk)
    )
    if leaf.assessment.period.state_at_least(PeriodState.FINAL):
        raise ServiceError(_("Kỳ đánh giá đã chốt điểm: không mở lại được."))
    if not leaf.assessment.submitted:
        raise ServiceError(
            _("Đơn vị chưa gửi bản tự đánh giá: tiêu chí vẫn sửa được, không cần mở lại.")
        )
    leaf.reopened = True
    leaf.reopen_reason = reason
    leaf.version += 1
    leaf.save(update_fields=["reopened", "reopen_reason", "version", "updated_at"])
    Event.objects.create(
        assessment=leaf.assessment,
        node_code=leaf.node_code,
        stage=Stage.ADMIN,
        action="reopen",
        actor=actor,
        reason=reason,
    )
    return leaf


@transaction.atomic
def assessment_set_exempt(*, actor: User, assessment: Assessment, codes: list[str]) -> Assessment:
    """Exempt a unit from nodes marked ``exemptible`` (its index is rescaled to the rest)."""
    _require_admin(actor)
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("period")
        .get(pk=assessment.pk)
    )
    if assessment.period.state_at_least(PeriodState.FINAL):
        raise ServiceError(_("Kỳ đánh giá đã chốt điểm: không đổi miễn trừ được."))
    m = methodology_of(assessment.methodology)
    clean = sorted({c.strip() for c in codes if c.strip()})
    for code in clean:
        node = m.nodes.get(code)
        if node is None:
            raise ServiceError(
                _("Không có tiêu chí mã '%(code)s' trong bộ tiêu chí.") % {"code": code}
            )
        if not node.exemptible:
            raise ServiceError(
                _("Tiêu chí %(code)s không được đánh dấu là có thể miễn (exemptible).")
                % {"code": code}
            )
    old = list(assessment.exempt)
    assessment.exempt = clean
    assessment.save(update_fields=["exempt"])
    Event.objects.create(
        assessment=assessment,
        stage=Stage.ADMIN,
        action="exempt",
        actor=actor,
        old={"exempt": old},
        new={"exempt": clean},
    )
    return assessment

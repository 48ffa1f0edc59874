"""Survey use cases: register an instrument, preview an import, apply it, discard it.

Each takes the acting user, checks the permission again and runs in one transaction. Files
are read by the core (:func:`parindex.survey_io.read_responses_file`) and indices computed by
it (:func:`parindex.core.survey.compute_indices`); nothing here computes a number. A file
with any error is refused whole: the error report says row, column and what is wrong, and
nothing is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core import IssuesError
from parindex.core.survey import (
    Instrument,
    InstrumentError,
    ResponseError,
    ResponseSet,
    SurveyResults,
    compute_indices,
    loads_instrument,
)
from parindex.survey_io import read_responses_file
from parindex.web.accounts.models import User
from parindex.web.assessments.models import Assessment
from parindex.web.common import ServiceError, bounded, short_name
from parindex.web.evidence.services import sanitize_filename
from parindex.web.periods.models import Period, PeriodState

from . import records
from .instruments import (
    ReportLine,
    instrument_of,
    mapping_check,
    period_versions,
    shipped_names,
    shipped_text,
)
from .leaves import fill_survey_leaves
from .models import ImportState, SurveyImport, SurveyInstrument
from .uploads import ImportRejected, file_suffix, local_copy, parse_options

PREVIEW_ROWS = 20
DEFAULT_MAX_BYTES = 200_000_000


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ServiceError(_("Chỉ cán bộ quản trị (Sở Nội vụ) được làm việc này."))


def max_bytes() -> int:
    return int(getattr(settings, "SURVEY_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- instruments -----------------------------------------------------------------------------


@transaction.atomic
def instrument_register(*, actor: User, text: str, source_name: str) -> SurveyInstrument:
    """Validate an instrument text with the core loader and store it (once per content)."""
    _require_admin(actor)
    try:
        parsed = loads_instrument(text, source=source_name)
    except InstrumentError as exc:
        lines = [ReportLine.of(i) for i in exc.issues]
        raise ImportRejected(_("Công cụ khảo sát không hợp lệ."), lines) from None
    bounded(parsed.id, 100, _("Mã công cụ khảo sát (id)"), "file")
    bounded(parsed.title, 500, _("Tên công cụ khảo sát (title)"), "file")
    bounded(parsed.source or "", 100, _("Nguồn khảo sát (source)"), "file")
    sha = hashlib.sha256(text.encode()).hexdigest()
    stored, _created = SurveyInstrument.objects.get_or_create(
        sha256=sha,
        defaults={
            "code": parsed.id,
            "title": parsed.title,
            "year": parsed.year,
            "status": parsed.status,
            "source": parsed.source or "",
            "source_name": short_name(source_name),
            "text": text,
            "created_by": actor,
        },
    )
    return stored


def instrument_register_shipped(*, actor: User, name: str) -> SurveyInstrument:
    if name not in shipped_names():
        raise ServiceError(_("Không có công cụ khảo sát mẫu '%(name)s'.") % {"name": name})
    return instrument_register(actor=actor, text=shipped_text(name), source_name=name)


# --- imports ---------------------------------------------------------------------------------


def importable_refusal(period: Period) -> str:
    """Why responses cannot be imported into the period now (empty when they can)."""
    if period.state == PeriodState.DRAFT:
        return _("Kỳ đánh giá chưa mở: hãy mở tự đánh giá trước khi nhập kết quả điều tra.")
    if period.state_at_least(PeriodState.FINAL):
        return _("Kỳ đánh giá đã chốt điểm: không nhập kết quả điều tra được nữa.")
    return ""


def _require_importable(period: Period) -> None:
    refusal = importable_refusal(period)
    if refusal:
        raise ServiceError(refusal)


def participating_codes(period: Period) -> list[str]:
    """Codes of the units assessed in the period: the only units a responses file may name."""
    rows = Assessment.objects.filter(period=period).values_list("unit__code", flat=True)
    return sorted(rows)


def _read(path: Path, instrument: Instrument, units: list[str]) -> ResponseSet:
    try:
        return read_responses_file(path, instrument, units=units)
    except IssuesError as exc:  # ResponseError (R-codes) and InputError (T-codes)
        lines = [ReportLine.of(i) for i in exc.issues]
        preview = None
        if isinstance(exc, ResponseError) and exc.preview:
            preview = records.table_of(exc.preview[:PREVIEW_ROWS])
        message = _("Tệp câu trả lời có lỗi: không nhập gì.")
        raise ImportRejected(message, lines, preview) from None


@transaction.atomic
def survey_import_preview(
    *,
    actor: User,
    period: Period,
    instrument: SurveyInstrument,
    upload: File,
    populations: str = "",
    margin: str = "",
) -> SurveyImport:
    """Read a responses file; if it is valid, keep it with a preview (nothing else changes).
    Any error raises :class:`ImportRejected` with the whole report, and nothing is stored."""
    _require_admin(actor)
    period = Period.objects.get(pk=period.pk)
    _require_importable(period)
    if upload.size is None or upload.size > max_bytes():
        raise ServiceError(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": max_bytes() // 1_000_000})
    parsed = instrument_of(instrument)
    check = mapping_check(parsed, period_versions(period))
    if not check.usable:
        raise ImportRejected(_("Công cụ khảo sát không khớp bộ tiêu chí của kỳ."), check.errors)
    units = participating_codes(period)
    options = parse_options(populations, margin, units)
    upload.seek(0)
    suffix = file_suffix(upload.name or "", upload.read(8))
    upload.seek(0)
    with local_copy(upload, suffix) as (path, sha):
        responses = _read(path, parsed, units)
        preview = records.preview_of(responses, PREVIEW_ROWS, units)
    name = sanitize_filename(upload.name or "", suffix[1:])
    survey_import = SurveyImport(
        period=period,
        instrument=instrument,
        sha256=sha,
        original_name=name,
        rows=len(responses),
        margin=options.margin,
        populations=options.populations,
        preview=preview,
        created_by=actor,
    )
    same = SurveyImport.objects.filter(sha256=sha).exclude(file="").first()
    if same is not None:  # content-addressed: the same file is stored once
        survey_import.file.name = same.file.name
    else:
        upload.seek(0)
        survey_import.file.save(f"{sha}{suffix}", upload, save=False)
    survey_import.save()
    return survey_import


@dataclass(frozen=True, slots=True)
class ApplyReport:
    units: int  # units with results
    leaves: int  # survey leaves whose inputs changed
    replaced: list[int]  # ids of the earlier imports this one replaces


@transaction.atomic
def survey_import_apply(*, actor: User, survey_import: SurveyImport) -> ApplyReport:
    """Compute the indices, store them per unit, and write each unit's index into every
    mapped survey leaf of its assessment (all or nothing). A newer import of the same survey
    source replaces the earlier one's values."""
    _require_admin(actor)
    survey_import = (
        SurveyImport.objects.select_for_update(of=("self",))
        .select_related("period", "instrument")
        .get(pk=survey_import.pk)
    )
    period = Period.objects.select_for_update().get(pk=survey_import.period_id)
    _require_importable(period)
    if survey_import.state != ImportState.PREVIEW:
        raise ServiceError(_("Chỉ áp dụng được lần nhập đang ở trạng thái xem trước."))
    parsed = instrument_of(survey_import.instrument)
    versions = period_versions(period)
    check = mapping_check(parsed, versions)
    if not check.usable:
        raise ImportRejected(_("Công cụ khảo sát không khớp bộ tiêu chí của kỳ."), check.errors)
    computed = _compute(survey_import, parsed, participating_codes(period))
    fed = records.fed_values(computed, period.pk, check.mapped)
    units = records.store(survey_import, computed, fed)
    changed = fill_survey_leaves(
        actor=actor, survey_import=survey_import, instrument=parsed, versions=check.mapped, fed=fed
    )
    replaced = _replace_earlier(survey_import)
    survey_import.state = ImportState.APPLIED
    survey_import.applied_at = timezone.now()
    survey_import.applied_by = actor
    survey_import.save()
    return ApplyReport(units, changed, replaced)


def _compute(survey_import: SurveyImport, parsed: Instrument, units: list[str]) -> SurveyResults:
    suffix = Path(survey_import.file.name).suffix
    try:
        with survey_import.file.open("rb") as stream, local_copy(stream, suffix) as (path, sha):
            if sha != survey_import.sha256:
                raise ServiceError(_("Tệp câu trả lời đã lưu bị thay đổi: hãy tải lên lại."))
            responses = _read(path, parsed, units)
    except OSError:
        raise ServiceError(_("Không đọc được tệp câu trả lời đã lưu: hãy tải lên lại.")) from None
    return compute_indices(
        parsed,
        responses,
        populations=survey_import.populations or None,
        margin=Decimal(survey_import.margin),
    )


def _replace_earlier(survey_import: SurveyImport) -> list[int]:
    family = survey_import.instrument.family
    earlier = [
        other
        for other in SurveyImport.objects.filter(
            period_id=survey_import.period_id, state=ImportState.APPLIED
        ).select_related("instrument")
        if other.pk != survey_import.pk and other.instrument.family == family
    ]
    for other in earlier:
        other.state, other.replaced_by = ImportState.DISCARDED, survey_import
        other.save(update_fields=["state", "replaced_by"])
    return [other.pk for other in earlier]


@transaction.atomic
def survey_import_discard(*, actor: User, survey_import: SurveyImport) -> SurveyImport:
    """Drop a preview that will not be applied (an applied import is replaced by a newer one,
    never discarded: its values are in the assessments)."""
    _require_admin(actor)
    survey_import = SurveyImport.objects.select_for_update().get(pk=survey_import.pk)
    if survey_import.state != ImportState.PREVIEW:
        raise ServiceError(_("Chỉ hủy được lần nhập đang ở trạng thái xem trước."))
    survey_import.state = ImportState.DISCARDED
    survey_import.save(update_fields=["state"])
    return survey_import

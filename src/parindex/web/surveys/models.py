"""Sociological surveys (điều tra xã hội học): instruments, imports of responses, results.

An instrument is stored as the YAML text the core loader validated (like a methodology
version). An import is one responses file read into one period: first a preview (the file is
kept, nothing else changes), then applied (indices computed by the core and stored per unit,
survey leaves of every assessment filled) or discarded. Results are stored so that the pages
never read the responses file again.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

INDEX = {"max_digits": 9, "decimal_places": 4, "null": True, "blank": True}


class SurveyInstrument(models.Model):
    """The text of an instrument file as validated by the core loader, stored verbatim.

    Identified by the SHA-256 of its text: the same file uploaded twice is one instrument.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    code = models.CharField(_("mã công cụ khảo sát"), max_length=100)
    title = models.CharField(_("tên công cụ khảo sát"), max_length=500)
    year = models.PositiveIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=20)
    # the survey source the ``survey`` rules of methodologies name (sipas, leaders…); blank: none
    source = models.CharField(_("nguồn khảo sát"), max_length=100, blank=True)
    source_name = models.CharField(_("tệp nguồn"), max_length=255)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "code", "-id"]
        verbose_name = _("công cụ khảo sát")
        verbose_name_plural = _("công cụ khảo sát")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    @property
    def family(self) -> str:
        """What years are compared by and what a newer import replaces: the survey source,
        or the instrument's code when it names no source."""
        return self.source or self.code


class ImportState(models.TextChoices):
    PREVIEW = "preview", _("Xem trước")
    APPLIED = "applied", _("Đã áp dụng")
    DISCARDED = "discarded", _("Đã hủy")


class SurveyImport(models.Model):
    """One responses file read into one period with one instrument."""

    period = models.ForeignKey(
        "periods.Period", on_delete=models.CASCADE, related_name="survey_imports"
    )
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(upload_to="surveys/", max_length=255)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    rows = models.PositiveIntegerField(_("số phiếu"), default=0)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEW
    )
    margin = models.DecimalField(max_digits=5, decimal_places=4, default="0.05")
    # unit code → population N (for the required sample size); empty: not given
    populations: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    # what the preview page shows: columns, first rows, counts per unit, warnings
    preview: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    # after applying: the overall index and the core's findings
    overall: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    findings: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["period", "state"])]
        verbose_name = _("lần nhập kết quả điều tra")
        verbose_name_plural = _("lần nhập kết quả điều tra")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def margin_percent(self) -> Decimal:
        return (Decimal(self.margin) * 100).normalize()


class SurveyUnitResult(models.Model):
    """One unit's indices from one applied import: the overall index with its 95 % interval,
    each group's (``groups``: code → [index, low, high, n] as decimal strings), each
    question's (``questions``, same shape) and the percent fed to each survey leaf."""

    survey_import = models.ForeignKey(
        SurveyImport, on_delete=models.CASCADE, related_name="results"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("units.UnitGroup", on_delete=models.PROTECT, related_name="+")
    n = models.PositiveIntegerField(_("số phiếu"))
    n_eff = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    index = models.DecimalField(_("chỉ số"), **INDEX)
    index_low = models.DecimalField(**INDEX)
    index_high = models.DecimalField(**INDEX)
    mean = models.DecimalField(**INDEX)
    rankable = models.BooleanField(default=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    required = models.PositiveIntegerField(null=True, blank=True)
    warning = models.TextField(blank=True)
    groups: models.JSONField[Any, Any] = models.JSONField(default=dict)
    questions: models.JSONField[Any, Any] = models.JSONField(default=dict)
    leaves: models.JSONField[Any, Any] = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey_import", "unit"], name="unique_survey_unit_result"
            )
        ]
        ordering = ["group__code", models.F("rank").asc(nulls_last=True), "unit__code"]

"""One unit's assessment in a period: per-leaf inputs and points of every stage, and events.

Inputs are kept as the text the core parser accepts (``{"done": "12", "plan": "15"}``), so
what was entered is what is shown back; points are computed by the core engine on save and
stored as ``Decimal``. Each leaf row carries a ``version`` that every save must name:
two people editing the same leaf never silently overwrite each other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

POINTS = {"max_digits": 14, "decimal_places": 6}


class AssessmentState(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi")


class Assessment(models.Model):
    period = models.ForeignKey(
        "periods.Period", on_delete=models.CASCADE, related_name="assessments"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="assessments")
    methodology = models.ForeignKey("periods.MethodologyVersion", on_delete=models.PROTECT)
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AssessmentState.choices,
        default=AssessmentState.DRAFT,
    )
    exempt = models.JSONField(_("nút được miễn"), default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unique_assessment")]
        verbose_name = _("bản đánh giá")
        verbose_name_plural = _("bản đánh giá")

    def __str__(self) -> str:
        return f"{self.unit} — {self.period}"

    @property
    def submitted(self) -> bool:
        return self.state == AssessmentState.SUBMITTED


class AppraisalStatus(models.TextChoices):
    PENDING = "", _("Chưa thẩm định")
    ACCEPTED = "accepted", _("Giữ điểm tự chấm")
    CHANGED = "changed", _("Điều chỉnh điểm")


class LeafScore(models.Model):
    """A leaf (tiêu chí thành phần) of one assessment, through every stage."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="leaves")
    node_code = models.CharField(max_length=40)

    self_inputs: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    self_points = models.DecimalField(null=True, blank=True, **POINTS)
    self_note = models.TextField(_("ghi chú / thuyết minh"), blank=True)

    appraisal_status = models.CharField(
        max_length=10, choices=AppraisalStatus.choices, default="", blank=True
    )
    appraised_inputs = models.JSONField(null=True, blank=True)
    appraised_points = models.DecimalField(null=True, blank=True, **POINTS)
    appraisal_remark = models.TextField(_("nhận xét thẩm định"), blank=True)

    final_inputs = models.JSONField(null=True, blank=True)
    final_points = models.DecimalField(null=True, blank=True, **POINTS)
    final_remark = models.TextField(_("kết luận sau giải trình"), blank=True)

    reopened = models.BooleanField(default=False)
    reopen_reason = models.TextField(blank=True)

    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node_code"], name="unique_leaf")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.node_code}"

    def effective_inputs(self) -> dict[str, str]:
        """The inputs that count now: the final decision, else the appraisal, else the unit's."""
        for stage in (self.final_inputs, self.appraised_inputs):
            if stage is not None:
                return dict(stage)
        return dict(self.self_inputs)

    def effective_points(self) -> Any:
        for points in (self.final_points, self.appraised_points):
            if points is not None:
                return points
        return self.self_points


class Stage(models.TextChoices):
    SELF = "self", _("Tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINAL = "final", _("Chốt điểm")
    ADMIN = "admin", _("Quản trị")


class Event(models.Model):
    """Something that changed an assessment: who, when, at which stage, old → new, why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    node_code = models.CharField(max_length=40, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices)
    action = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    old: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    new: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["assessment", "node_code"])]

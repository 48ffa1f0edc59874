"""Methodology versions and assessment periods (kỳ đánh giá) with their deadlines and state."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MethodologyVersion(models.Model):
    """The text of a methodology file as validated by the core loader, stored verbatim.

    Identified by the SHA-256 of its text: the same file uploaded twice is one version.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    code = models.CharField(_("mã bộ tiêu chí"), max_length=100)
    title = models.CharField(_("tên bộ tiêu chí"), max_length=500)
    year = models.PositiveIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=20)
    source_name = models.CharField(_("tệp nguồn"), max_length=255)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class PeriodState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Tự đánh giá")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    FINAL = "final", _("Đã chốt điểm")
    PUBLISHED = "published", _("Đã công bố")


STATE_ORDER = [s.value for s in PeriodState]


class Period(models.Model):
    year = models.PositiveIntegerField(_("năm đánh giá"))
    name = models.CharField(_("tên kỳ đánh giá"), max_length=255)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=PeriodState.choices, default=PeriodState.DRAFT
    )
    self_assessment_deadline = models.DateTimeField(_("hạn tự đánh giá"))
    appraisal_deadline = models.DateTimeField(_("hạn thẩm định"))
    explanation_deadline = models.DateTimeField(_("hạn giải trình"))
    finalization_deadline = models.DateTimeField(_("hạn chốt điểm"))
    finalized_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")

    def __str__(self) -> str:
        return self.name

    def state_at_least(self, state: str) -> bool:
        return STATE_ORDER.index(self.state) >= STATE_ORDER.index(state)


class PeriodGroup(models.Model):
    """Which methodology a ranking group is assessed with in a period."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="groups")
    group = models.ForeignKey("units.UnitGroup", on_delete=models.PROTECT)
    methodology = models.ForeignKey(MethodologyVersion, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "group"], name="unique_period_group")
        ]
        verbose_name = _("bộ tiêu chí của khối")
        verbose_name_plural = _("bộ tiêu chí của khối")

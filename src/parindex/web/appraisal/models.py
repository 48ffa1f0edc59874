"""Appraiser assignments and explanation requests (yêu cầu giải trình) with their threads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """An appraiser is assigned a unit (or every unit) and an area (or every area) of a period."""

    period = models.ForeignKey("periods.Period", on_delete=models.CASCADE, related_name="+")
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE)
    area_code = models.CharField(_("lĩnh vực"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "appraiser", "unit", "area_code"], name="unique_assignment"
            )
        ]
        verbose_name = _("phân công thẩm định")
        verbose_name_plural = _("phân công thẩm định")


class RequestState(models.TextChoices):
    OPEN = "open", _("Chờ đơn vị giải trình")
    ANSWERED = "answered", _("Đơn vị đã giải trình")
    DECIDED = "decided", _("Đã kết luận")


class ExplanationRequest(models.Model):
    leaf = models.OneToOneField(
        "assessments.LeafScore", on_delete=models.CASCADE, related_name="explanation"
    )
    state = models.CharField(max_length=10, choices=RequestState.choices, default="open")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        verbose_name_plural = _("yêu cầu giải trình")


class Message(models.Model):
    """One message of an explanation thread: the request, an answer, or the decision."""

    request = models.ForeignKey(
        ExplanationRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True)

    class Meta:
        ordering = ["at", "id"]

"""Results stored when a period is finalized: one row per unit, computed by the core engine.

Each row keeps the inputs it was computed from, so any number can be traced again exactly.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from parindex.web.assessments.models import POINTS


class UnitResultRecord(models.Model):
    period = models.ForeignKey("periods.Period", on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="results")
    group = models.ForeignKey("units.UnitGroup", on_delete=models.PROTECT, related_name="+")
    methodology = models.ForeignKey("periods.MethodologyVersion", on_delete=models.PROTECT)
    total = models.DecimalField(**POINTS)
    max = models.DecimalField(**POINTS)
    index = models.DecimalField(null=True, blank=True, **POINTS)
    rank = models.PositiveIntegerField(null=True, blank=True)
    class_code = models.CharField(max_length=20, blank=True)
    class_label = models.CharField(max_length=100, blank=True)
    # code → [points, max] as decimal strings (null where the node does not apply)
    nodes: models.JSONField[Any, Any] = models.JSONField(default=dict)
    # the effective inputs at finalization: leaf code → input name → text
    inputs: models.JSONField[Any, Any] = models.JSONField(default=dict)
    exempt: models.JSONField[Any, Any] = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="unique_unit_result")
        ]
        ordering = ["group__code", "rank", "unit__code"]

"""Units (đơn vị): a tree with types, ranking groups, validity dates and lineage."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitType(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    CENTRAL_AGENCY = "central_agency", _("Cơ quan Trung ương đóng trên địa bàn")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DISTRICT = "district", _("Huyện (trước năm 2025)")
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")


class UnitGroup(models.Model):
    """A ranking group (khối): units are ranked against the others of their group."""

    code = models.CharField(_("mã khối"), max_length=40, unique=True)
    name = models.CharField(_("tên khối"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("khối xếp hạng")
        verbose_name_plural = _("khối xếp hạng")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    type = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitType.choices)
    group = models.ForeignKey(
        UnitGroup, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name


class LineageKind(models.TextChoices):
    MERGED = "merged", _("sáp nhập vào")
    SPLIT = "split", _("tách ra thành")
    RENAMED = "renamed", _("đổi tên thành")


class UnitLineage(models.Model):
    """``predecessor`` became (part of) ``successor`` on ``date``."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="predecessor_links")
    kind = models.CharField(_("loại"), max_length=10, choices=LineageKind.choices)
    date = models.DateField(_("ngày hiệu lực"))
    decision = models.CharField(_("văn bản"), max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="unique_unit_lineage"
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="lineage_not_self",
            ),
        ]
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")

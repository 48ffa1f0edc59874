"""Evidence (tài liệu kiểm chứng): uploaded files, citations of official documents, URLs.

File contents are stored once per SHA-256 (:class:`StoredFile`); an :class:`Evidence` belongs
to one assessment and may support several leaves through :class:`EvidenceLink`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to="evidence/%Y/")
    created_at = models.DateTimeField(auto_now_add=True)


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp đính kèm")
    DOCUMENT = "document", _("Văn bản")
    URL = "url", _("Đường dẫn")


class Evidence(models.Model):
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("tên tài liệu"), max_length=500)
    stored = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT)
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    doc_number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    doc_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    summary = models.TextField(_("trích yếu"), blank=True)
    page = models.CharField(_("trang"), max_length=50, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.title


class EvidenceLink(models.Model):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    leaf = models.ForeignKey(
        "assessments.LeafScore", on_delete=models.CASCADE, related_name="evidence_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "leaf"], name="unique_evidence_link")
        ]

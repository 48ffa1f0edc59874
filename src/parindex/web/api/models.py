"""API tokens: a person's key to the read-only JSON API.

Only the SHA-256 of a token is stored; the token itself is shown once, when it is created.
A token is a random 256-bit value, so a fast hash is enough: there is nothing to guess.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên khóa"), max_length=100)
    key_hash = models.CharField(_("SHA-256 của khóa"), max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["user__username", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked=False),
                name="unique_active_api_token_name",
            )
        ]
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.user} — {self.name}"

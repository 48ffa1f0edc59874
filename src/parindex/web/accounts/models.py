"""Users, their role and unit, and the failed-login record used for lock-out."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị (Sở Nội vụ)")
    OFFICER = "officer", _("Cán bộ đầu mối của đơn vị")
    HEAD = "head", _("Lãnh đạo đơn vị")
    APPRAISER = "appraiser", _("Thành viên tổ thẩm định")
    VIEWER = "viewer", _("Lãnh đạo, theo dõi")


UNIT_ROLES = frozenset({Role.OFFICER, Role.HEAD})


class User(AbstractUser):
    """A person using parindex. Unit officers and heads belong to exactly one unit."""

    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.role == Role.ADMIN or self.is_superuser)

    @property
    def is_unit_user(self) -> bool:
        return self.role in UNIT_ROLES and self.unit_id is not None


class LoginFailure(models.Model):
    """Failed logins per user name; enough of them lock the name for a while.

    Kept in the database, not in process memory, so that lock-out holds across app processes.
    """

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng nhập sai")
        verbose_name_plural = _("đăng nhập sai")

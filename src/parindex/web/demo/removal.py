"""Finding and removing the demo's data, and refusing to mix it with data that is not."""

from __future__ import annotations

from django.db.models import ProtectedError, Q, RestrictedError

from parindex.web.accounts.models import User
from parindex.web.evidence.models import Evidence, StoredFile
from parindex.web.periods.models import MethodologyVersion, Period
from parindex.web.units.models import Unit, UnitGroup

from . import catalog as c


class DemoError(Exception):
    """The demo cannot be built or removed here; the message says why, in Vietnamese."""


def demo_exists() -> bool:
    return Unit.objects.filter(code=c.PROVINCE).exists()


def other_data_exists() -> bool:
    return Unit.objects.exists() or Period.objects.exists()


def check_free() -> None:
    """Refuse to build when a demo code or user name is taken by other data."""
    codes = c.unit_codes()
    taken = list(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    taken += User.objects.filter(username__in=c.usernames(codes)).values_list("username", flat=True)
    taken += UnitGroup.objects.filter(code__in=c.GROUPS).values_list("code", flat=True)
    if taken:
        raise DemoError(
            "Đã có dữ liệu khác dùng các mã, tên đăng nhập sau; không nạp dữ liệu mẫu: "
            + ", ".join(sorted(taken)[:10])
        )


def remove_demo() -> None:
    """Delete the demo's periods, accounts, units, groups, evidence files and methodology
    versions no longer used; accounts added later to a demo unit go with it."""
    codes = c.unit_codes()
    doomed = list(
        Period.objects.filter(
            Q(name__in=c.PERIOD_NAMES.values()) | Q(assessments__unit__code__in=codes)
        ).values_list("pk", flat=True)
    )
    stored = set(
        Evidence.objects.filter(assessment__period__in=doomed).values_list("stored_id", flat=True)
    )
    try:
        Period.objects.filter(pk__in=doomed).delete()
        for orphan in StoredFile.objects.filter(pk__in=stored - {None}, evidence__isnull=True):
            orphan.file.delete(save=False)
            orphan.delete()
        User.objects.filter(Q(username__in=c.usernames(codes)) | Q(unit__code__in=codes)).delete()
        units = Unit.objects.filter(code__in=codes)
        units.update(parent=None)
        units.delete()
        UnitGroup.objects.filter(code__in=c.GROUPS, units__isnull=True).delete()
    except (ProtectedError, RestrictedError) as exc:
        blocking = sorted({str(obj) for obj in exc.args[1]})[:5]
        raise DemoError(
            "Không xóa được dữ liệu mẫu vì dữ liệu khác còn tham chiếu đến nó: "
            + ", ".join(blocking)
        ) from None
    _remove_unused_versions()


def _remove_unused_versions() -> None:
    for version in MethodologyVersion.objects.filter(source_name__in=c.methodology_sources()):
        try:
            version.delete()
        except (ProtectedError, RestrictedError):
            continue  # still used by a period that is not the demo's

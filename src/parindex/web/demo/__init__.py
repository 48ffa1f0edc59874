"""Sample data ("Tỉnh mẫu") for trying parindex.

:func:`build_demo` loads a province with its departments, central agencies and communes/
wards, an account for every role, a published 2025 period and a 2026 period in progress. It is
run by ``python -m django demo [--reset]`` (and so by ``make run``) and by ``parindex demo``.

- :mod:`.catalog` — what the province is made of (units, accounts, words people write);
- :mod:`.inputs` — plausible inputs for any leaf of a methodology;
- :mod:`.documents` — cited documents and small PDF files as evidence;
- :mod:`.builder` — units, accounts, methodologies, the published 2025 period (bulk-written
  like an import, then finalized and published with the services);
- :mod:`.journeys` — the 2026 period, moved on through the same services as the web pages;
- :mod:`.removal` — what counts as demo data and how ``--reset`` removes it.

All values come from a fixed seed: two builds give the same data (except for dates, which
follow today's date so that the 2026 deadlines are ahead).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db import transaction

from parindex.web.units.models import Unit

from . import catalog as c
from .builder import Builder, Writer
from .inputs import vn_number
from .journeys import period_2026
from .removal import DemoError, check_free, demo_exists, other_data_exists, remove_demo

__all__ = ["PASSWORD", "DemoError", "DemoSummary", "build_demo", "demo_exists", "remove_demo"]

PASSWORD = c.PASSWORD


@dataclass
class DemoSummary:
    """What :func:`build_demo` did, for the terminal and for callers such as the CLI."""

    built: bool
    message: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = PASSWORD


def build_demo(*, reset: bool, stdout: Writer) -> DemoSummary:
    """Load the sample province and print a summary with the accounts to try.

    Without ``reset`` nothing is changed when the database already holds the demo (or other
    units or periods): the summary says so. With ``reset`` an earlier demo is removed first.
    All or nothing: one transaction. Raises :class:`DemoError` when names are taken by data
    that is not the demo's.
    """
    start = time.perf_counter()
    if not reset and demo_exists():
        summary = DemoSummary(False, "Dữ liệu mẫu đã có; không nạp lại (dùng --reset để dựng lại).")
    elif not reset and other_data_exists():
        summary = DemoSummary(
            False,
            "Cơ sở dữ liệu đã có đơn vị hoặc kỳ đánh giá không thuộc dữ liệu mẫu: "
            "không nạp dữ liệu mẫu.",
        )
    else:
        stdout.write("Đang nạp dữ liệu mẫu Tỉnh mẫu…\n")
        with transaction.atomic():
            if reset:
                remove_demo()
            check_free()
            builder = Builder(stdout)
            period_2026(builder, builder.build())
        summary = DemoSummary(True, "Đã nạp dữ liệu mẫu Tỉnh mẫu.", counts=builder.counts)
    if demo_exists():
        summary.accounts = accounts()
    summary.seconds = time.perf_counter() - start
    print_summary(summary, stdout)
    return summary


def accounts() -> list[tuple[str, str, str]]:
    """(user name, role, what to try) of the accounts worth trying."""
    rows = [
        (c.ADMIN, "Quản trị (Sở Nội vụ)", "toàn tỉnh; vào được cả /admin/"),
        (c.VIEWER, "Lãnh đạo UBND tỉnh", "xem kết quả, xếp hạng, phân tích"),
    ]
    rows += [(user, "Thẩm định", scope) for user, (_, scope) in c.APPRAISERS.items()]
    names = dict(Unit.objects.filter(code__in=c.FEATURED).values_list("code", "name"))
    for code, (scenario, state) in c.FEATURED.items():
        officer, head = c.unit_usernames(code)
        rows.append((officer, "Cán bộ đầu mối", f"{names.get(code, code)}: {state}"))
        task = (
            "duyệt, gửi bản tự đánh giá" if scenario == "featured_draft" else "như cán bộ đầu mối"
        )
        rows.append((head, "Lãnh đạo đơn vị", f"{names.get(code, code)}: {task}"))
    return rows


def print_summary(summary: DemoSummary, out: Writer) -> None:
    out.write(f"{summary.message}\n")
    for label, value in summary.counts.items():
        out.write(f"  {label}: {value}\n")
    if summary.built:
        out.write(f"Thời gian nạp: {vn_number(summary.seconds, 1)} giây\n")
    if not summary.accounts:
        return
    out.write(
        f"\nTài khoản dùng thử — mật khẩu chung: {summary.password} (chỉ dùng cho dữ liệu mẫu)\n"
    )
    out.write(f"  {'tên đăng nhập':<20} {'vai trò':<22} phạm vi, việc có thể thử\n")
    for username, role, scope in summary.accounts:
        out.write(f"  {username:<20} {role:<22} {scope}\n")
    out.write(
        "  Mọi đơn vị khác: <mã đơn vị viết thường>.canbo (cán bộ đầu mối) và .lanhdao "
        "(lãnh đạo), VD: sxd.canbo, xa-tanhung.lanhdao.\n"
    )

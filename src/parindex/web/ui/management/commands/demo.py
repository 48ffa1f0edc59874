"""``python -m django demo [--reset]``: load the sample province (see :mod:`parindex.web.demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.web.demo import DemoError, build_demo


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: Tỉnh mẫu với các sở, ban, ngành, xã, phường, tài khoản cho mọi vai "
        "trò, kỳ đánh giá 2025 đã công bố và kỳ 2026 đang thực hiện. Không làm gì nếu đã có "
        "dữ liệu, trừ khi có --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu mẫu đã nạp (nếu có) rồi nạp lại.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            build_demo(reset=options["reset"], stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from None

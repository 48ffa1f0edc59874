"""``python -m django api_token create USERNAME --name NAME`` prints a new API token (shown
this once only); ``list [USERNAME]`` shows tokens; ``revoke ID`` revokes one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.web.accounts.models import User
from parindex.web.api.models import ApiToken
from parindex.web.api.services import token_create, token_revoke
from parindex.web.common import ServiceError


class Command(BaseCommand):
    help = "Tạo, liệt kê, thu hồi khóa API (create / list / revoke)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo khóa API mới và in khóa ra (chỉ một lần)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="tên khóa, ví dụ hệ thống dùng khóa")
        listing = sub.add_parser("list", help="liệt kê khóa API")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="thu hồi một khóa API theo số (ID)")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"])(options)
        except ServiceError as exc:
            raise CommandError(exc.message) from None

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng '{options['username']}'.")
        row, token = token_create(actor=None, user=user, name=options["name"])
        self.stderr.write(
            f"Đã tạo khóa API #{row.pk} '{row.name}' cho {user.username}. "
            "Lưu khóa dưới đây ngay: khóa không được hiển thị lại."
        )
        self.stdout.write(token)

    def _list(self, options: dict[str, Any]) -> None:
        qs = ApiToken.objects.select_related("user")
        if options["username"]:
            qs = qs.filter(user__username=options["username"])
        for t in qs:
            state = "đã thu hồi" if t.revoked else "đang dùng"
            used = t.last_used.isoformat() if t.last_used else "chưa dùng"
            self.stdout.write(f"{t.pk}\t{t.user.username}\t{t.name}\t{state}\t{used}")

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"Không có khóa API số {options['id']}.")
        token_revoke(actor=None, token=token)
        self.stdout.write(f"Đã thu hồi khóa API #{token.pk} '{token.name}'.")

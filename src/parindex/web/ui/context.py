from __future__ import annotations

from django.http import HttpRequest

from parindex import __version__


def version(request: HttpRequest) -> dict[str, str]:
    return {"version": __version__}

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from pamong.accounts.access import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's access, for menus (what is shown; what is allowed is checked in selectors)."""
    return {"access": access_for(getattr(request, "user", None))}

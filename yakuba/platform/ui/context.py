"""Header data for every staff page: who is signed in, for which municipality, in which roles.

Showing the municipality on every screen matters on a shared cloud: an operator working for
several municipalities must always see whose residents they are looking at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yakuba.platform.identity.roles import Role


@dataclass(frozen=True)
class Shell:
    signed_in: bool = False
    verified: bool = False
    user_label: str = ""
    username: str = ""
    lg_code: str | None = None
    municipality_name: str = ""
    roles: tuple[str, ...] = ()
    role_labels: tuple[str, ...] = field(default=())
    tenant_count: int = 0

    @property
    def can_switch(self) -> bool:
        return self.verified and self.tenant_count > 1


def municipality_name(lg_code: str) -> str:
    from yakuba.platform.tenancy.models import Municipality

    row = Municipality.objects.using("default").filter(lg_code=lg_code).values_list("full_name", flat=True)
    return row.first() or lg_code


def role_labels(roles) -> tuple[str, ...]:
    # In the order of the Role enum, so every screen lists them the same way.
    return tuple(label for value, label in Role.choices if value in roles)


def shell_data(request) -> Shell:
    """Compute (once per request) what the header shows."""
    cached = getattr(request, "_yakuba_shell", None)
    if cached is not None:
        return cached
    from yakuba.platform.ui.staff import current_lg_code, user_municipalities

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        shell = Shell()
    elif not getattr(user, "is_verified", lambda: False)():
        # Before the second factor: name only, nothing about municipalities.
        shell = Shell(signed_in=True, user_label=user.display_name or user.username, username=user.username)
    else:
        lg_code = current_lg_code(request)
        roles = tuple(sorted(user.roles_in(lg_code))) if lg_code else ()
        shell = Shell(
            signed_in=True,
            verified=True,
            user_label=user.display_name or user.username,
            username=user.username,
            lg_code=lg_code,
            municipality_name=municipality_name(lg_code) if lg_code else "",
            roles=roles,
            role_labels=role_labels(roles),
            tenant_count=len(user_municipalities(request)),
        )
    request._yakuba_shell = shell
    return shell


def shell(request) -> dict:
    """Context processor (``settings.TEMPLATES``): ``{{ shell.municipality_name }}`` etc."""
    return {"shell": shell_data(request)}

"""Creating staff accounts and API client tokens."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from yakuba.platform.identity.models import ApiClient, Membership, StaffUser
from yakuba.platform.identity.roles import Role
from yakuba.platform.identity.scopes import ScopeError, validate_scopes


class StaffError(ValueError):
    """The account cannot be created (one-line reason)."""


def create_staff(
    username: str, *, password: str, lg_code: str, roles: list[str], display_name: str = ""
) -> StaffUser:
    if not username or len(username) > 150:
        raise StaffError("ユーザー名は1〜150文字です")
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise StaffError(f"不明な役割です: {', '.join(unknown)}")
    user = StaffUser(username=username, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise StaffError("パスワードが弱すぎます: " + " ".join(exc.messages)) from None
    with transaction.atomic(using="default"):
        if StaffUser.objects.filter(username=username).exists():
            raise StaffError(f"ユーザー名 {username} は既に使われています")
        user.set_password(password)
        user.save()
        for role in sorted(set(roles)):
            Membership.objects.create(user=user, lg_code=lg_code, role=role)
    return user


def issue_token(lg_code: str, client: str, scopes: list[str], zone: str) -> tuple[ApiClient, str]:
    """A new client credential; the token is returned once and only its hash is kept."""
    cleaned = validate_scopes(scopes, zone)
    if not client.strip() or len(client) > 80:
        raise ScopeError("クライアント名は1〜80文字です")
    if ApiClient.objects.filter(lg_code=lg_code, name=client).exists():
        raise ScopeError(f"クライアント {client} は既に登録されています")
    return ApiClient.issue(lg_code=lg_code, name=client, scopes=cleaned, zone=zone)

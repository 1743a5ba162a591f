"""Staff users, their roles per municipality, and API client credentials."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models, router
from django.utils import timezone

from yakuba.platform.identity.roles import Role
from yakuba.platform.identity.scopes import Zone
from yakuba.platform.prepared import prepared_cursor

TOKEN_PREFIX = "yk"


class StaffUser(AbstractUser):
    """A municipal staff member or a shared-cloud operator.

    Global (not a tenant table): an operator of a shared cloud works for several
    municipalities; what they may do in each is in ``Membership``.
    """

    display_name = models.CharField("表示名", max_length=60, blank=True)

    class Meta:
        db_table = "identity_staff_user"
        verbose_name = "職員"

    def roles_in(self, lg_code: str) -> frozenset[str]:
        return frozenset(self.memberships.filter(lg_code=lg_code).values_list("role", flat=True))

    def municipalities(self) -> list[str]:
        return sorted(set(self.memberships.values_list("lg_code", flat=True)))


class Membership(models.Model):
    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="memberships")
    lg_code = models.CharField("団体コード", max_length=6)
    role = models.CharField("役割", max_length=16, choices=Role.choices)

    class Meta:
        db_table = "identity_membership"
        constraints = [models.UniqueConstraint(fields=["user", "lg_code", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.lg_code}:{self.role}"


class ApiClient(models.Model):
    """One credential per client application, bound to one municipality.

    The token is ``yk_<key_id>_<secret>``; only a SHA-256 of the secret is stored (the
    secret has 256 bits of entropy, so a slow hash adds nothing).
    """

    lg_code = models.CharField("団体コード", max_length=6)
    name = models.CharField("クライアント名", max_length=80)
    scopes = ArrayField(models.CharField(max_length=40), default=list)
    zone = models.CharField("ゾーン", max_length=16, choices=Zone.choices, default=Zone.LGWAN)
    key_id = models.CharField(max_length=16, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "identity_api_client"
        constraints = [models.UniqueConstraint(fields=["lg_code", "name"], name="api_client_name_unique")]

    def __str__(self) -> str:
        return f"{self.name}@{self.lg_code}"

    @staticmethod
    def _digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, *, lg_code: str, name: str, scopes: list[str], zone: str) -> tuple[ApiClient, str]:
        """Create a client and return it with its token (shown once, never stored)."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        client = cls.objects.create(
            lg_code=lg_code,
            name=name,
            scopes=scopes,
            zone=zone,
            key_id=key_id,
            secret_sha256=cls._digest(secret),
        )
        return client, f"{TOKEN_PREFIX}_{key_id}_{secret}"

    @classmethod
    def authenticate(cls, token: str) -> ApiClient | None:
        prefix, _, rest = token.partition("_")
        key_id, _, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not key_id or not secret:
            return None
        client = cls._unrevoked(key_id)
        if client is None or not hmac.compare_digest(client.secret_sha256, cls._digest(secret)):
            return None
        return client

    @classmethod
    def _unrevoked(cls, key_id: str) -> ApiClient | None:
        """The client with ``key_id`` unless revoked: one plain SELECT, since every API call asks
        (a revocation takes effect on the next call, so nothing is cached)."""
        columns = [f.attname for f in cls._meta.concrete_fields]
        alias = router.db_for_read(cls)
        with prepared_cursor(alias) as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {cls._meta.db_table} WHERE key_id = %s AND revoked_at IS NULL",
                [key_id],
            )
            row = cursor.fetchone()
        return None if row is None else cls.from_db(alias, columns, row)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def may_see_my_number(self) -> bool:
        """個人番号 only for a client holding a scope that unlocks it (declared by its domain:
        ``scopes.register(..., mynumber=True)``), in the 個人番号利用事務系 zone, served by a
        deployment that is itself in that zone (三層の対策: no 個人番号 on the LGWAN side)."""
        from django.conf import settings

        from yakuba.platform.identity.scopes import MYNUMBER_ONLY

        return (
            bool(MYNUMBER_ONLY & set(self.scopes))
            and self.zone == Zone.MYNUMBER
            and settings.ZONE == Zone.MYNUMBER
        )

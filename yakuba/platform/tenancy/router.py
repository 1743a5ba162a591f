"""Route tenant tables to the database of the municipality in the current ``tenant_context``."""

from __future__ import annotations

from yakuba.platform.tenancy.context import current_tenant
from yakuba.platform.tenancy.models import TenantModel


class TenantRouter:
    """Tenant tables follow the active tenant; everything else lives in ``default``.

    Every server gets the full schema (``allow_migrate`` is always true) so that any
    municipality can be placed on, or moved to, any server.
    """

    def _route(self, model, **hints):
        if issubclass(model, TenantModel):
            tenant = current_tenant()
            if tenant is not None:
                return tenant.alias
        return "default"

    db_for_read = _route
    db_for_write = _route

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return True

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "yakuba.platform.tenancy"
    label = "tenancy"
    verbose_name = "テナント（市区町村）"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yakuba.platform import lookups

        lookups.register()  # ``field__any=[...]`` for every app's batch reads

        from yakuba.platform.tenancy.rls import apply_row_level_security

        post_migrate.connect(apply_row_level_security, dispatch_uid="yakuba-rls")

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yakuba.platform.audit"
    label = "audit"
    verbose_name = "アクセスログ"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yakuba.platform.audit.schema import restrict_privileges

        post_migrate.connect(restrict_privileges, dispatch_uid="yakuba-audit-privileges")

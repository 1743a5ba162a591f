from django.apps import AppConfig


class ChildSupportAllowanceConfig(AppConfig):
    """児童扶養手当 (issue 17). So far the pure engine of contract §9.6: no tables, no scopes."""

    name = "yakuba.child_support_allowance"
    label = "child_support_allowance"
    verbose_name = "児童扶養手当"

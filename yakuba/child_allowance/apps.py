from django.apps import AppConfig


class ChildAllowanceConfig(AppConfig):
    name = "yakuba.child_allowance"
    label = "child_allowance"
    verbose_name = "児童手当"

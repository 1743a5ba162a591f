from django.apps import AppConfig


class LongTermCareConfig(AppConfig):
    name = "yakuba.long_term_care"
    label = "long_term_care"
    verbose_name = "介護保険"

    def ready(self) -> None:
        from yakuba.long_term_care import events  # noqa: F401 - declares the event types
        from yakuba.platform.linkage import feed
        from yakuba.registry.services import protected_among

        # A 資格 change names a person: one under 支援措置 is withheld as the registry's events are.
        feed.register_guard(feed.Guard("jp.yakuba.long_term_care.", "registry:protected", protected_among))

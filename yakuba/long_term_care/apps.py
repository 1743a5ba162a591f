from django.apps import AppConfig


class LongTermCareConfig(AppConfig):
    name = "yakuba.long_term_care"
    label = "long_term_care"
    verbose_name = "介護保険"

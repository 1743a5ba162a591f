from django.apps import AppConfig


class SchoolEnrollmentConfig(AppConfig):
    name = "yakuba.school_enrollment"
    label = "school_enrollment"
    verbose_name = "就学"

    def ready(self) -> None:
        from yakuba.school_enrollment import access

        access.declare()  # scopes

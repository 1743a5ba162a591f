from django.apps import AppConfig


class SchoolEnrollmentConfig(AppConfig):
    name = "yakuba.school_enrollment"
    label = "school_enrollment"
    verbose_name = "就学"

    def ready(self) -> None:
        from yakuba.school_enrollment import access, events  # noqa: F401 (registers event types)

        access.declare()  # scopes
        from yakuba.platform.ui import home, nav
        from yakuba.school_enrollment.ui.home_tasks import school_tasks

        nav.register("学齢簿", "school_enrollment:list", access.STAFF_ROLES, key="school_enrollment")
        nav.register(
            "通学区域",
            "school_enrollment:districts",
            access.DISTRICT_ROLES,
            key="school_enrollment-districts",
        )
        home.register("school_enrollment", school_tasks, access.STAFF_ROLES, order=60)
        from yakuba.platform.server import register_demo_hook
        from yakuba.school_enrollment.demo import populate

        register_demo_hook(populate, after=("address", "registry"))

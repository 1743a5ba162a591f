from django.http import JsonResponse
from django.urls import include, path

from yakuba import domains
from yakuba.api import api
from yakuba.platform.api.problems import django_handler400, django_handler404, django_handler500


def healthz(request):
    """Liveness and database reachability for load balancers (docs/reference/contract.md#http-conventions)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not healthy
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    # Each domain's screens under /<area>/ (yakuba/domains.py).
    *(path(f"{name}/", include(module)) for name, module in domains.interfaces("ui.urls")),
    path("", include("yakuba.platform.ui.urls")),
]

handler400 = django_handler400
handler404 = django_handler404
handler500 = django_handler500

"""URLs of the 住民記録 staff screens, mounted under ``/registry/``."""

from django.urls import path

from yakuba.registry.ui import views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("residents/<str:atena_no>/", views.resident, name="resident"),
    path("residents/<str:atena_no>/history/", views.resident_history, name="resident-history"),
    path("residents/<str:atena_no>/my-number/", views.reveal_my_number, name="my-number"),
    path("residents/<str:atena_no>/protection/", views.protection, name="protection"),
    path("households/<str:setai_no>/", views.household, name="household"),
    path("moves/new/", views.move_menu, name="move-menu"),
    path("moves/new/<str:kind>/", views.move, name="move"),
    path("moves/new/<str:kind>/validate/", views.move_validate, name="move-validate"),
    path("moves/new/<str:kind>/person-row/", views.person_row, name="person-row"),
    path("moves/done/<uuid:move_id>/", views.move_done, name="move-done"),
]

"""URLs of the 住民記録 staff screens, mounted under ``/registry/``."""

from django.urls import path

from yakuba.registry.ui import history_views, koseki_views, list_views, move_views, protection_views, views

app_name = "registry"

urlpatterns = [
    path("", views.search, name="search"),
    path("residents/<str:atena_no>/", views.resident, name="resident"),
    path("residents/<str:atena_no>/history/", history_views.resident_history, name="resident-history"),
    path("residents/<str:atena_no>/my-number/", views.reveal_my_number, name="my-number"),
    path("residents/<str:atena_no>/protection/", protection_views.protection, name="protection"),
    path("protections/expiring/", protection_views.expiring, name="protections-expiring"),
    path("households/", list_views.household_list, name="household-list"),
    path("koseki/", koseki_views.proposals, name="koseki-proposals"),
    path("koseki/<uuid:proposal_id>/", koseki_views.proposal_page, name="koseki-proposal"),
    path("households/<str:setai_no>/", views.household, name="household"),
    path("town-areas/", views.town_choices, name="town-choices"),
    path("moves/new/", move_views.move_menu, name="move-menu"),
    path("moves/new/<str:kind>/", move_views.move, name="move"),
    path("moves/new/<str:kind>/validate/", move_views.move_validate, name="move-validate"),
    path("moves/new/<str:kind>/person-row/", move_views.person_row, name="person-row"),
    path("moves/done/<uuid:move_id>/", move_views.move_done, name="move-done"),
    path("moves/<str:reference>/slip.pdf", history_views.move_slip, name="move-slip"),
    path("moves/<str:reference>/cancel/", history_views.cancel_move, name="move-cancel"),
]

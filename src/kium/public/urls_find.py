"""돌봄 정보찾기 (FIND-1): the map, 맞춤형정보, facility pages and favourites."""

from django.urls import path

from kium.public import views_facility, views_find

urlpatterns = [
    # The home page's quick link; /find/ keeps working if the map moves.
    path("find/", views_find.find_care, name="find_care"),
    path("find/map/", views_find.find_map, name="find_map"),
    path("find/map/facilities.json", views_find.find_map_data, name="find_map_data"),
    path("find/custom/", views_find.find_custom, name="find_custom"),
    path("facilities/photos/<int:pk>/", views_facility.facility_photo, name="facility_photo"),
    path("facilities/<facility_code:code>/", views_facility.facility_page, name="facility"),
    path(
        "facilities/<facility_code:code>/favourite/",
        views_facility.favourite_toggle,
        name="favourite_toggle",
    ),
    path("accounts/favourites/", views_facility.favourites, name="favourites"),
]

"""Facility screens sit under 홈페이지관리 > 시설관리 for those who hold it."""


def test_facility_list_sits_under_homepage_menu(client, people):
    officer = people.district_officer("NW")
    client.force_login(officer)
    response = client.get("/admin/org/facilities/")
    assert response.status_code == 200
    assert response.context["active_top"] == "homepage"
    assert response.context["active_item"] == "homepage.facilities"


def test_facility_menu_item_links_to_the_list(client, people):
    officer = people.district_officer("NW")
    client.force_login(officer)
    response = client.get("/admin/m/homepage/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/org/facilities/"

from kium.orgs.models import FacilityNumberCounter


def test_facility_codes_count_per_district_and_type(people):
    first = people.facility("NW")
    second = people.facility("NW")
    other_district = people.facility("GN")
    other_type = people.facility("NW", facility_type="GI")
    assert first.code == "NWUK001"
    assert second.code == "NWUK002"
    assert other_district.code == "GNUK001"
    assert other_type.code == "NWGI001"


def test_deleted_facility_number_is_never_reused(people):
    first = people.facility("NW")
    first.delete()
    again = people.facility("NW")
    assert again.code == "NWUK002"
    assert (
        FacilityNumberCounter.objects.get(district__code="NW", facility_type="UK").last_number == 2
    )

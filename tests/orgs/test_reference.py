from kium.orgs.models import Department, District, Dong, Role
from kium.orgs.reference import ensure_reference_data


def test_reference_data_comes_back_after_a_flush(db):
    counts = (District.objects.count(), Role.objects.count(), Dong.objects.count())
    Department.objects.update(parent=None)
    Department.objects.all().delete()
    Dong.objects.all().delete()
    District.objects.all().delete()
    Role.objects.all().delete()
    ensure_reference_data()
    assert (District.objects.count(), Role.objects.count(), Dong.objects.count()) == counts
    assert counts[0] == 25 and counts[1] == 14 and counts[2] > 400
    assert Department.objects.filter(level="district").count() == 25
    ensure_reference_data()  # idempotent
    assert District.objects.count() == 25

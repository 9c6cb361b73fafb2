import pytest
import time_machine

from tests.attendance.support import NOW


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(people):
    from tests.attendance.support import Setup

    return Setup(people)

import pytest


@pytest.fixture(autouse=True)
def clinic_zone(settings):
    # Not UTC, so a missing conversion to clinic time shows up as a wrong hour.
    settings.TIME_ZONE = "Europe/Paris"

"""Generated hostile input against the bedside work-up form: never a server error, and a
refused submission saves nothing (the work-up's own constraints guard it too)."""

import string

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments.forms import WorkUpForm
from assessments.models import WorkUp
from assessments.rules.coverage import MANOEUVRES
from tests.test_form_fuzz import fuzz

# Every field the bedside form takes.
FIELDS = list(WorkUpForm._meta.fields or ())
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.digits + "-:/.", max_size=40),
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "11", "-1", "1e9", "NaN", "\x00"]),
    st.text(alphabet="\u4e00\u9fffW", min_size=1000, max_size=4000),
)


def valid_body():
    today = timezone.localdate()
    return {
        "side": "left",
        "examined_on": today.isoformat(),
        "pain_onset": today.replace(year=today.year - 1).isoformat(),
        "usual_pain": "6",
        "conservative_weeks": "6",
        "conservative_care": "Physiotherapy and NSAIDs",
        **{name: "positive" for name in MANOEUVRES},
    }


def test_the_valid_body_saves(nurse_client, make_patient):
    patient = make_patient()
    response = nurse_client.post(reverse("assessments:work_up", args=[patient.pk]), valid_body())
    assert response.status_code == 302
    assert WorkUp.objects.filter(patient=patient).count() == 1


@fuzz(40)
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_hostile_input_never_gives_a_server_error(nurse_client, make_patient, field, value):
    patient = make_patient()
    url = reverse("assessments:work_up", args=[patient.pk])
    before = WorkUp.objects.count()
    nurse_client.raise_request_exception = False
    response = nurse_client.post(url, {**valid_body(), field: value})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused: shown again with its errors, nothing saved
        assert response.context["form"].errors
        assert WorkUp.objects.count() == before

"""Work-up, a diagnostic block and a confirming one, in a real browser: the page and the PDF
say the blocks are confirmed and the Medicare checklist is met."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Injection, WorkUp
from tests.browser.pages import log_in, shot
from tests.builders import add_reading, local_input

pytestmark = pytest.mark.usefixtures("transactional_db")


def register_block(page, url, performed_at, agent, concentration, *, confirms=False):
    page.goto(f"{url}/injections/new/")
    page.fill("#id_mrn", "BR-PAIR")
    page.locator("#id_proceduralist").select_option(label="Ines Duarte")
    page.fill("#id_performed_at", local_input(performed_at))
    page.fill("#id_baseline_at", local_input(performed_at - timedelta(minutes=10)))
    page.locator("label[for=id_side_0]").click()  # left
    page.locator("label[for=id_purpose_0]").click()  # diagnostic
    if confirms:
        page.locator("#id_confirms_latest").check()
    page.locator("#id_guidance").select_option("fluoroscopy")
    page.locator("#id_contrast").select_option("yes")
    page.locator("#id_anaesthetic_agent").select_option(agent)
    page.fill("#id_anaesthetic_concentration", concentration)
    page.fill("#id_anaesthetic_volume_ml", "2")
    page.locator("label[for=id_baseline_score_8]").click()
    page.locator("input[type=submit][name=register]").click()
    errors = page.locator(".invalid-feedback, .alert-danger")
    (
        expect(page.locator(".alert-success")).to_contain_text(
            "Injection registered for MRN BR-PAIR", timeout=5000
        ),
        errors.all_inner_texts(),
    )
    return Injection.objects.filter(patient__mrn="BR-PAIR").order_by("-pk").first()


def test_comparative_blocks_read_confirmed_with_a_met_medicare_checklist(
    page_for, live_server, nurse, make_patient, make_role_user
):
    make_role_user("Clinician", first_name="Ines", last_name="Duarte")
    patient = make_patient(mrn="BR-PAIR")
    now = timezone.now().replace(second=0, microsecond=0)
    page = page_for()
    log_in(page, live_server, nurse, f"/patients/{patient.pk}/work-up/?side=left")

    # The work-up: a bad pain score is refused on its field, nothing saved.
    page.fill("#id_examined_on", (timezone.localdate() - timedelta(days=20)).isoformat())
    page.locator("label[for=id_pain_over_si_joint_1]").click()  # yes
    page.fill("#id_pain_onset", (timezone.localdate() - timedelta(days=300)).isoformat())
    page.fill("#id_usual_pain", "7")
    for name in ("distraction", "thigh_thrust", "compression"):
        page.locator(f"label[for=id_{name}_1]").click()  # positive
    page.locator("label[for=id_sacral_thrust_2]").click()  # negative
    page.fill("#id_conservative_care", "Physiotherapy")
    page.fill("#id_conservative_weeks", "6")
    page.locator("label[for=id_other_causes_excluded_1]").click()
    page.locator("label[for=id_imaging_reviewed_1]").click()
    page.evaluate("document.querySelector('#id_usual_pain').removeAttribute('max')")
    page.fill("#id_usual_pain", "12")
    page.get_by_role("button", name="Save work-up").click()
    expect(page.locator("#div_id_usual_pain")).to_contain_text("less than or equal to 10")
    assert not WorkUp.objects.exists()
    page.fill("#id_usual_pain", "7")
    page.get_by_role("button", name="Save work-up").click()
    expect(page.locator(".alert-success")).to_contain_text("Work-up saved")
    assert WorkUp.objects.get().provocation == {
        "distraction": "positive",
        "thigh_thrust": "positive",
        "compression": "positive",
        "sacral_thrust": "negative",
    }

    first = register_block(page, live_server.url, now - timedelta(days=14), "lidocaine", "2")
    for minutes, score in ((25, 1), (60, 1), (100, 1), (150, 6)):
        add_reading(first, minutes, score)
    second = register_block(
        page, live_server.url, now - timedelta(days=1), "bupivacaine", "0.5", confirms=True
    )
    assert second.confirms == first
    for minutes, score in ((25, 1), (100, 1), (180, 1), (260, 1), (340, 7)):
        add_reading(second, minutes, score)

    page.goto(f"{live_server.url}/injections/{second.pk}/")
    coverage = page.locator("#coverage")
    expect(coverage.locator(".series-result")).to_have_text("confirmed by comparative blocks")
    medicare = coverage.locator(".checklist-status[data-status]").first
    expect(medicare).to_have_text("met")
    expect(coverage).to_contain_text("Medicare LCD L39402 (CMS-L39402@1)")
    shot(page, "coverage-confirmed")
    page.goto(f"{live_server.url}/injections/{first.pk}/")
    expect(page.locator("#coverage .series-result")).to_have_text("confirmed by comparative blocks")

    response = page.request.get(f"{live_server.url}/injections/{second.pk}/report.pdf")
    assert response.ok
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    text = " ".join(text.split())
    assert "confirmed by comparative blocks" in text
    assert "CMS-L39402@1: met" in text

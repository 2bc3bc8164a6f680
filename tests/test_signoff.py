import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import services, signing
from assessments.models import Amendment, Injection, PainReading, SignOff
from tests import builders
from tests.builders import pdf_text


def test_sign_off_confirms_the_computed_outcome_and_stores_its_inputs(signed, clinician):
    signoff = signed.signoffs.get()
    assert (signoff.version, signoff.signed_by) == (1, clinician)
    assert signoff.signed_outcome == signoff.computed_outcome == "indeterminate"
    assert (signoff.threshold, signoff.inclusive, signoff.at_threshold) == (75, False, True)
    assert signoff.profile == "LEAFLET@3"
    assert signoff.rule_options["method"] == "sustained"
    assert signoff.rule_options["revision"] == "2.1"
    assert [reading[1:] for reading in signoff.inputs["readings"]] == [
        [8, "provoked", "staff"],
        [2, "provoked", "staff"],
    ]
    assert signed.is_locked and signed.signed_outcome == "indeterminate"


def test_signed_result_reproduces_after_the_settings_change(signed, settings):
    settings.SI_PROFILE = "CMS-LCD-2023"
    settings.SI_CONFOUNDER_POLICY = "non_diagnostic"
    signoff = signed.signoffs.get()
    assert signoff.reproduce().outcome.value == signoff.computed_outcome == "indeterminate"
    assert signed.evaluate().outcome.value == "positive"
    call_command("recompute_evaluations", "--all", stdout=None)
    signed.refresh_from_db()
    assert (signed.outcome, signed.result().outcome.value) == ("indeterminate", "indeterminate")


def test_a_sign_off_keeps_the_confounders_and_policy_it_was_signed_under(
    make_injection, clinician, settings
):
    injection = make_injection([(-5, 8), (25, 1)], sedation="deep")
    signoff = signing.sign_off(injection.pk, clinician)
    assert signoff.rule_options["confounders"] == ["deep sedation"]
    settings.SI_CONFOUNDER_POLICY = "non_diagnostic"
    assert signoff.reproduce().outcome.value == "positive"
    assert injection.evaluate().outcome.value == "non_diagnostic"


def test_sign_offs_made_under_rule_one_reproduce_under_it(signed):
    """A pre-2.0 sign-off (version 1's migration gave it RULE-1@1): the lowest reading decided."""
    legacy = {
        "threshold": 75,
        "inclusive": False,
        "method": "best",
        "negative_below": 0,
        "required_context": None,
        "baseline_context": None,
        "confounders": [],
        "confounder_policy": "warn",
    }
    signoff = SignOff(rule_options=legacy, inputs={"readings": [["-5", 8], ["22", 4], ["25", 1]]})
    assert signoff.reproduce().outcome.value == "positive"


def test_override_needs_a_reason(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 2)])
    with pytest.raises(ValidationError) as raised:
        signing.sign_off(injection.pk, clinician, outcome="positive")
    assert "reason" in raised.value.message_dict
    assert not SignOff.objects.exists()
    signoff = signing.sign_off(
        injection.pk, clinician, outcome="positive", reason="Provoked pain fully relieved."
    )
    assert signoff.is_override and signoff.signed_outcome == "positive"


def test_database_refuses_an_override_without_reason(signed):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.filter(injection=signed).update(signed_outcome="positive")


def test_a_nurse_cannot_sign_off(make_injection, make_role_user):
    injection = make_injection([(-5, 8), (25, 2)])
    with pytest.raises(PermissionDenied):
        signing.sign_off(injection.pk, make_role_user("Nurse"))


def test_service_refuses_a_reading_in_a_signed_block(signed, clinician):
    with pytest.raises(ValidationError, match="part of the signed block result"):
        services.add_reading(signed, entered_by=clinician, recorded_at=signed.performed_at, score=3)
    assert signed.readings.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda i: PainReading.objects.create(injection=i, recorded_at=i.performed_at, score=1),
        lambda i: PainReading.objects.filter(injection=i).update(score=0),
        lambda i: PainReading.objects.filter(injection=i).delete(),
        lambda i: Injection.objects.filter(pk=i.pk).update(side="right"),
        lambda i: Injection.objects.filter(pk=i.pk)._raw_delete("default"),
    ],
    ids=["insert reading", "update reading", "delete reading", "update injection", "delete"],
)
def test_database_refuses_any_change_to_a_signed_injection(signed, change):
    with pytest.raises(IntegrityError, match="signed"), transaction.atomic():
        change(signed)


def test_admin_shows_a_signed_injection_read_only_and_refuses_a_post(client, signed, clinician):
    client.force_login(clinician)
    url = reverse("admin:assessments_injection_change", args=[signed.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="side"' not in page.content.decode()
    assert client.post(url, {"side": "right"}).status_code == 403
    assert Injection.objects.get(pk=signed.pk).side == "left"


def test_amendment_needs_a_reason_then_unlocks_and_re_signing_makes_version_2(signed, clinician):
    with pytest.raises(ValidationError):
        signing.open_amendment(signed.pk, clinician, "  ")
    signing.open_amendment(signed.pk, clinician, "Day-3 diary arrived late.")
    builders.add_reading(signed, 28, 3, entered_by=clinician)
    second = signing.sign_off(signed.pk, clinician)
    assert second.version == 2
    assert second.computed_outcome == "indeterminate"
    assert second.percent_reduction == Decimal("62.5")
    assert Amendment.objects.get().amends_version == 1
    assert signed.signoffs.get(version=1).computed_outcome == "indeterminate"


def test_signing_twice_without_amendment_is_refused(signed, clinician):
    with pytest.raises(ValidationError, match="signed and locked"):
        signing.sign_off(signed.pk, clinician)


def test_signed_pdf_is_archived_with_its_checksum_and_never_overwritten(signed, clinician):
    first = signed.signoffs.get().archived_report
    content = first.file.read()
    assert hashlib.sha256(content).hexdigest() == first.sha256
    assert content.startswith(b"%PDF")
    signing.open_amendment(signed.pk, clinician, "Correction.")
    second = signing.sign_off(signed.pk, clinician).archived_report
    assert second.file.name != first.file.name
    first.file.open()
    assert hashlib.sha256(first.file.read()).hexdigest() == first.sha256


def test_admin_sign_off_page_signs_with_override_reason(client, make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 2)])
    client.force_login(clinician)
    url = reverse("admin:assessments_injection_sign", args=[injection.pk])
    page = client.get(url).content.decode().replace("\xa0", " ")
    assert "Exactly 75 %" in page
    # The page shows the readings it signs and what signing locks.
    assert "Readings signed" in page and "2/10" in page and "8/10" in page
    assert "The follow-up week goes on" in page
    response = client.post(url, {"outcome": "positive", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for overriding" in response.content.decode()
    response = client.post(url, {"outcome": "positive", "reason": "Clinically convincing."})
    assert response.status_code == 302
    assert SignOff.objects.get().override_reason == "Clinically convincing."


def test_admin_sign_off_is_forbidden_to_a_nurse(client, make_injection, make_role_user):
    injection = make_injection([(-5, 8), (25, 2)])
    client.force_login(make_role_user("Nurse"))
    url = reverse("admin:assessments_injection_sign", args=[injection.pk])
    assert client.post(url, {"outcome": "negative"}).status_code == 403
    assert not SignOff.objects.exists()


def test_admin_amend_page_reopens_the_injection(client, signed, clinician):
    client.force_login(clinician)
    url = reverse("admin:assessments_injection_amend", args=[signed.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Wrong side recorded."}).status_code == 302
    signed.refresh_from_db()
    assert not signed.is_locked


def test_signed_report_prints_signature_override_and_addenda(make_injection, clinician):
    from assessments.reports import render_report

    injection = make_injection([(-5, 8), (25, 2)])
    signing.sign_off(injection.pk, clinician, outcome="positive", reason="Full relief provoked.")
    signing.open_amendment(injection.pk, clinician, "Diary added late.")
    draft = pdf_text(render_report(injection))
    assert "DRAFT — not signed" in draft
    assert "Addendum:" in draft and "Diary added late." in draft
    signing.sign_off(injection.pk, clinician, outcome="positive", reason="Still convincing.")
    signed = pdf_text(render_report(injection))
    assert "DRAFT" not in signed
    assert "Signed, version 2" in signed
    assert "clinician override of the computed Indeterminate" in signed
    assert "Profile LEAFLET@3 as signed" in signed
    assert clinician.get_username() in signed
    assert "Diary added late." in signed


def test_signed_report_keeps_the_signed_rule_after_settings_change(signed, settings):
    from assessments.reports import render_report

    settings.SI_PROFILE = "CMS-LCD-2023"
    text = pdf_text(render_report(signed))
    assert "Profile LEAFLET@3 as signed: Positive when pain falls by more than 75 %" in text
    assert "Signed: Indeterminate" in text


def test_archived_pdf_download_is_logged(client, signed, clinician):
    from assessments.models import ReportAccess

    client.force_login(clinician)
    url = reverse("admin:assessments_injection_archived", args=[signed.pk, 1])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content
    assert hashlib.sha256(body).hexdigest() == signed.signoffs.get().archived_report.sha256
    assert ReportAccess.objects.get().kind == "archive"


def test_archived_pdf_is_refused_to_a_nurse(client, signed, make_role_user):
    client.force_login(make_role_user("Nurse"))
    url = reverse("admin:assessments_injection_archived", args=[signed.pk, 1])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "tamper", [lambda path: path.write_bytes(path.read_bytes() + b"%"), lambda path: path.unlink()]
)
def test_a_tampered_archived_pdf_is_refused_and_logged(client, signed, clinician, tamper, caplog):
    from assessments.models import ReportAccess

    archived = signed.signoffs.get().archived_report
    tamper(Path(archived.file.path))
    client.force_login(clinician)
    response = client.get(reverse("admin:assessments_injection_archived", args=[signed.pk, 1]))
    assert response.status_code == 409
    assert "was not served" in response.content.decode()
    assert f"archived PDF of injection {signed.pk} v1 refused" in caplog.text
    assert not ReportAccess.objects.exists()

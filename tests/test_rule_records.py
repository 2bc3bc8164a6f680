"""Rule 2.1 on the records (issue 19): what the injection page, the sign-off page, the PDF and
the exports say, the confounders taken from the record, and sign-offs that reproduce."""

import csv
import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import display, signing
from assessments.exports.service import export_chunks
from assessments.models import Injection, PainReading, SignOff
from assessments.record import build_record
from assessments.reports import render_report
from assessments.rules import Flag
from tests.builders import pdf_text

DAY = 24 * 60
TWO_DECIMALS = re.compile(r"\d\.\d{2,}")
MATRIX_TITLE = "Relief criteria: the 20–30 minute reduction under each published rule"


def page(client, injection):
    url = reverse("assessments:injection_detail", args=[injection.pk])
    return client.get(url).content.decode()


def export_text(key, injection):
    data = b"".join(export_chunks(key, Injection.objects.filter(pk=injection.pk)))
    if key == "redcap":
        archive = zipfile.ZipFile(io.BytesIO(data))
        return " ".join(archive.read(name).decode() for name in archive.namelist())
    return data.decode("utf-8-sig")


def add_reading(injection, minutes, score, **fields):
    return PainReading.objects.create(
        injection=injection,
        recorded_at=injection.performed_at + timedelta(minutes=minutes),
        score=score,
        context=fields.pop("context", "provoked"),
        **fields,
    )


def refreshed(injection):
    from assessments import services

    services.refresh_evaluation(injection.pk)
    return Injection.objects.get(pk=injection.pk)


# --- minutes, once, rounded -----------------------------------------------------------------


def test_a_reading_with_seconds_prints_to_one_decimal_everywhere(
    make_injection, nurse_client, clinician, client
):
    # 23 min 46 s: 23.7666… minutes.
    injection = make_injection([(-5, 8), (23 + 46 / 60, 2)], minutes_ago=3 * DAY)
    html = page(nurse_client, injection)
    assert escape(display.keep_together("2/10 at 23.8 min")) in html
    client.force_login(clinician)
    sign_page = client.get(reverse("admin:assessments_injection_sign", args=[injection.pk]))
    signing_html = sign_page.content.decode()
    # The admin's own icons are SVG paths full of decimals: read the evaluation only.
    signing_html = signing_html[signing_html.index('<div class="si-evaluation">') :]
    signing_html = signing_html[: signing_html.index("</section>")]
    assert escape(display.keep_together("2/10 at 23.8 min")) in signing_html
    pdf = pdf_text(render_report(injection))
    assert "2/10 at 23.8 min" in pdf and "reading at 23.8 min" in pdf
    exports = {key: export_text(key, injection) for key in ("csv", "csv-wide", "redcap", "fhir")}
    assert ",23.8," in exports["csv"] and ",23.8," in exports["csv-wide"]
    assert "23.8" in exports["redcap"]
    for where, text in [
        ("page", html),
        ("sign-off page", signing_html),
        ("PDF", pdf),
        *exports.items(),
    ]:
        assert not TWO_DECIMALS.findall(text), where


@pytest.mark.parametrize(
    "minutes, words",
    [(23.7666, "23.8 min"), (25, "25 min"), (Decimal("19.95"), "20 min"), (-5, "-5 min")],
)
def test_one_function_writes_a_minute_count(minutes, words):
    assert display.minutes(minutes) == words


# --- the criteria matrix claims only what it checked ----------------------------------------


def test_the_matrix_is_titled_as_the_reduction_and_each_row_says_what_it_did_not_check(
    make_injection, nurse_client
):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    html = page(nurse_client, injection)
    assert MATRIX_TITLE in html and "Criteria met" not in html
    cms = (
        "CMS-LCD-2023@2, reduction: yes — reading at 25 min, 1/10, is 87.5 %; duration of relief "
        "and coverage criteria are not part of this row"
    )
    assert escape(display.keep_together(cms)) in html
    tested = "(tested: ≥ 75 % reduction, sustained, provoked, baseline ≥ 4/10)"
    assert escape(display.keep_together(tested)) in html
    pdf = pdf_text(render_report(injection))
    assert MATRIX_TITLE in pdf and "Criteria met" not in pdf
    assert (
        "✓ yes CMS-LCD-2023@2 (≥ 75 % reduction, sustained, provoked, baseline ≥ 4/10): reading "
        "at 25 min, 1/10, is 87.5 %; duration of relief and coverage criteria are not part of "
        "this row"
    ) in pdf
    assert "Page 1 of 1" in pdf


def test_the_aspn_row_is_not_applicable_when_a_steroid_was_injected(make_injection, nurse_client):
    injection = make_injection(
        [(-10, 8), (25, 1)],
        minutes_ago=3 * DAY,
        steroid_agent="triamcinolone",
        steroid_dose_mg=Decimal("40"),
    )
    html = page(nurse_client, injection)
    assert 'data-meets="not-applicable"' in html
    assert "ASPN-2024@2: not applicable: a steroid was injected" in html
    pdf = pdf_text(render_report(injection))
    assert "– n/a ASPN-2024@2" in pdf
    assert "not applicable: a steroid was injected" in pdf
    assert "✓ yes ASPN-2024@2" not in pdf


def test_the_admin_change_page_shows_the_same_matrix(make_injection, admin_client):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    html = admin_client.get(url).content.decode()
    assert MATRIX_TITLE in html
    assert "LEAFLET@3, reduction: yes" in html


# --- the baseline, patient entries, relief on the page --------------------------------------


def test_the_page_marks_the_baseline_the_rule_used(make_injection, nurse_client):
    injection = make_injection(
        [(-15, 8, "provoked"), (-5, 3, "rest"), (25, 1, "provoked")], minutes_ago=3 * DAY
    )
    assert (injection.outcome, injection.baseline_score) == ("positive", 8)
    html = page(nurse_client, injection)
    assert html.count("Baseline used") == 1
    first_row = html[html.index('<tr class="reading') :]
    assert first_row.index("Baseline used") < first_row.index("</tr>")


def test_a_patient_entry_in_the_window_is_listed_not_counted(make_injection, nurse_client):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    add_reading(injection, 24, 9, source=PainReading.Source.PATIENT)
    injection = refreshed(injection)
    assert (injection.outcome, injection.decisive_score) == ("positive", 1)
    evaluation = injection.evaluate()
    assert Flag.PATIENT_NOT_COUNTED in evaluation.flags
    assert injection.rule_readings(injection.readings.all())[1][3] == "patient"
    html = page(nurse_client, injection)
    assert "Patient entry, not counted" in html
    pdf = pdf_text(render_report(injection))
    assert "Patient entry, not counted" in pdf


def test_a_paper_diary_entry_is_the_patients_for_the_rule(make_injection):
    injection = make_injection([(-10, 8)], minutes_ago=3 * DAY)
    add_reading(injection, 25, 1, source=PainReading.Source.PAPER)
    injection = refreshed(injection)
    assert injection.outcome == "non_diagnostic"
    assert injection.non_diagnostic_cause == "no_window_reading"


def test_a_steroid_is_named_when_relief_outlasts_the_anaesthetic(make_injection, nurse_client):
    readings = [(-10, 8), (25, 1)] + [(60 * hour, 1) for hour in range(1, 9)]
    injection = make_injection(
        readings,
        minutes_ago=3 * DAY,
        steroid_agent="triamcinolone",
        steroid_dose_mg=Decimal("40"),
    )
    relief = build_record(injection, now=timezone.now()).relief
    assert (relief.consistency, relief.first_failing) == ("longer than expected", None)
    assert (injection.relief_last_met, injection.relief_first_failed) == (None, None)
    html = page(nurse_client, injection)
    assert "lasted at least 8 h" in html and "a corticosteroid was injected too" in html


# --- confounders from the record, dated -------------------------------------------------------


def test_an_analgesic_taken_the_day_before_is_dated_and_not_a_confounder(
    make_injection, nurse_client
):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    taken = injection.performed_at - timedelta(hours=20)
    Injection.objects.filter(pk=injection.pk).update(
        analgesic="Paracetamol 1 g", analgesic_at=taken
    )
    injection = refreshed(injection)
    evaluation = injection.evaluate()
    assert evaluation.confounders == () and Flag.CONFOUNDED not in evaluation.flags
    when = display.date_time(taken)
    sentence = (
        f"Paracetamol 1 g: taken 20 h before the injection ({when}), before the baseline, "
        "which reflects it: not a confounder."
    )
    assert sentence in evaluation.reasons.context
    assert escape(display.keep_together(sentence)) in page(nurse_client, injection)
    csv_wide = export_text("csv-wide", injection)
    row = next(csv.DictReader(io.StringIO(csv_wide)))
    assert row["confounders"] == ""


def test_an_analgesic_after_the_baseline_is_a_confounder_named_with_its_date(
    make_injection, settings
):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    taken = injection.performed_at + timedelta(minutes=5)
    Injection.objects.filter(pk=injection.pk).update(
        analgesic="Paracetamol 1 g", analgesic_at=taken
    )
    injection = refreshed(injection)
    evaluation = injection.evaluate()
    assert evaluation.confounders == (f"Paracetamol 1 g ({display.date_time(taken)})",)
    assert display.local(taken).strftime("%b %Y") in evaluation.reasons.confounders[0]
    settings.SI_CONFOUNDER_POLICY = "non_diagnostic"
    assert injection.evaluate().outcome.value == "non_diagnostic"


def test_a_rescue_analgesic_on_a_window_reading_confounds_it_in_the_rule_relief_page_and_pdf(
    make_injection, nurse_client, settings
):
    injection = make_injection([(-10, 8), (22, 1)], minutes_ago=3 * DAY)
    taken = injection.performed_at + timedelta(minutes=26)
    add_reading(injection, 28, 1, medication="Ibuprofen 400 mg", medication_at=taken)
    add_reading(injection, 60, 1)
    add_reading(injection, 120, 6)
    injection = refreshed(injection)
    evaluation = injection.evaluate()
    assert evaluation.confounders == (
        f"rescue analgesic: Ibuprofen 400 mg ({display.date_time(taken)})",
    )
    assert build_record(injection, now=timezone.now()).relief.excluded_after_rescue == 3
    html = page(nurse_client, injection)
    assert f"Rescue analgesic: Ibuprofen 400 mg, taken {display.date_time(taken)}" in html
    pdf = pdf_text(render_report(injection))
    assert "Rescue analgesic: Ibuprofen 400 mg" in pdf
    settings.SI_CONFOUNDER_POLICY = "non_diagnostic"
    assert injection.evaluate().reasons.cause == "confounded"


def test_a_rescue_analgesic_after_the_window_does_not_confound_the_block(make_injection):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY)
    taken = injection.performed_at + timedelta(minutes=100)
    add_reading(injection, 120, 5, medication="Ibuprofen 400 mg", medication_at=taken)
    evaluation = refreshed(injection).evaluate()
    assert evaluation.confounders == ()
    assert any("after the readings that decided" in note for note in evaluation.reasons.context)


# --- sign-offs made before rule 2.1 reproduce as signed ------------------------------------

RULE_2_0_LEAFLET = {
    "threshold": 75,
    "inclusive": False,
    "method": "sustained",
    "negative_below": None,
    "required_context": None,
    "confounders": ["deep sedation"],
    "confounder_policy": "non_diagnostic",
}


@pytest.mark.parametrize(
    "readings, options, outcome, percent",
    [
        # A fluctuating response (8 → 1, 1, 6): rule 2.0 read the 6 alone.
        (
            [
                ["-10", 8, "provoked"],
                ["22", 1, "provoked"],
                ["25", 1, "provoked"],
                ["29", 6, "provoked"],
            ],
            {**RULE_2_0_LEAFLET, "confounders": [], "confounder_policy": "warn"},
            "negative",
            Decimal("25"),
        ),
        # A negative sedated block under the non_diagnostic policy: 2.0 made it non-diagnostic.
        (
            [["-10", 8, "provoked"], ["25", 7, "provoked"]],
            RULE_2_0_LEAFLET,
            "non_diagnostic",
            Decimal("12.5"),
        ),
        # Provoked 8, then resting 3: 2.0 took the latest (resting) baseline.
        (
            [["-15", 8, "provoked"], ["-5", 3, "rest"], ["25", 1, "provoked"]],
            {**RULE_2_0_LEAFLET, "confounders": []},
            "non_diagnostic",
            None,
        ),
    ],
    ids=["fluctuating", "sedated negative", "provoked then resting baseline"],
)
def test_a_sign_off_made_under_leaflet_2_reproduces_its_outcome_and_percent(
    readings, options, outcome, percent
):
    signoff = SignOff(profile="LEAFLET@2", rule_options=options, inputs={"readings": readings})
    reproduced = signoff.reproduce()
    assert reproduced.outcome.value == outcome
    assert reproduced.percent_reduction == percent
    assert reproduced.revision == "2.0"


def test_a_sign_off_made_under_rule_one_reproduces_its_outcome_and_percent():
    legacy = {
        "threshold": 75,
        "inclusive": False,
        "method": "best",
        "negative_below": 0,
        "required_context": None,
        "baseline_context": None,
        "confounders": ["oxycodone at 09:10"],
        "confounder_policy": "warn",
    }
    readings = [["-5", 8], ["22", 1], ["25", 7]]
    reproduced = SignOff(rule_options=legacy, inputs={"readings": readings}).reproduce()
    assert (reproduced.outcome.value, reproduced.percent_reduction) == ("positive", Decimal("87.5"))
    assert reproduced.confounders == ("oxycodone at 09:10",)


def test_the_same_readings_signed_under_leaflet_2_and_3_each_reproduce_as_signed(
    make_injection, clinician, nurse_client
):
    injection = make_injection([(-10, 8), (22, 1), (25, 1), (29, 6)], minutes_ago=3 * DAY)
    signoff = signing.sign_off(injection.pk, clinician)
    # Rewrite it as rule 2.0 stored it (the sign-off table is append-only, so a new object).
    old = SignOff(
        profile="LEAFLET@2",
        rule_options={**RULE_2_0_LEAFLET, "confounders": [], "confounder_policy": "warn"},
        inputs={"readings": [[m, s, c] for m, s, c, _ in signoff.inputs["readings"]]},
    )
    assert old.reproduce().outcome.value == "negative"
    assert signoff.reproduce().outcome.value == "indeterminate"


def test_a_new_sign_off_stores_the_new_options_and_inputs(make_injection, clinician):
    injection = make_injection([(-10, 8), (25, 1)], minutes_ago=3 * DAY, sedation="deep")
    taken = injection.performed_at + timedelta(minutes=5)
    Injection.objects.filter(pk=injection.pk).update(
        analgesic="Paracetamol 1 g", analgesic_at=taken
    )
    signoff = signing.sign_off(injection.pk, clinician)
    assert signoff.profile == "LEAFLET@3"
    options = signoff.rule_options
    assert options["revision"] == "2.1"
    assert options["confounders"][0] == "deep sedation"
    what, minutes, when = options["confounders"][1]
    assert (what, Decimal(minutes), when) == ("Paracetamol 1 g", 5, display.date_time(taken))
    assert [reading[2:] for reading in signoff.inputs["readings"]] == [
        ["provoked", "staff"],
        ["provoked", "staff"],
    ]
    reproduced = signoff.reproduce()
    assert (reproduced.outcome.value, reproduced.revision) == ("positive", "2.1")
    assert len(reproduced.confounders) == 2

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Injection
from assessments.reports import render_report
from assessments.reports.bundle import report_files, stream_zip
from assessments.reports.data import Signature, gather_report, report_filename
from assessments.reports.document import draw_report
from tests.builders import pdf_pages, pdf_text

DAY = 24 * 60
POSITIVE = [(-10, 8), (25, 1), (60, 2)]


def test_report_text_holds_mrn_scores_outcome_rule_and_page_number(make_injection, make_patient):
    injection = make_injection(POSITIVE, patient=make_patient(mrn="R-4711"))

    text = pdf_text(render_report(injection))

    assert "R-4711" in text
    for score in ("8/10", "1/10", "2/10"):
        assert score in text
    assert "Positive (single block): consistent with SI joint pain — reduction 87.5 %" in text
    assert (
        "Profile LEAFLET@3 as configured: Positive when pain falls by more than 75 % at every"
        in text
    )
    assert (
        "✓ yes ASPN-2024@2 (> 50 % reduction, sustained, same context): reading at 25 min, "
        "1/10, is 87.5 %; duration of relief is not part of this row" in text
    )
    # The coverage rows (issue 21) push the follow-up week onto a second page until the
    # one-page layout (issue 22) makes room; they stay on page 1 with the criteria.
    first_page = pdf_pages(render_report(injection))[0]
    assert "Coverage (warnings only): Diagnostic block." in first_page
    assert "Page 1 of" in text


@pytest.mark.parametrize(
    ("readings", "words"),
    [
        (POSITIVE, ["Positive (single block): consistent with SI joint pain"]),
        ([(-10, 8), (25, 3)], ["Indeterminate: partial relief — reduction 62.5 %"]),
        ([(-10, 7), (25, 4)], ["Negative: intra-articular SI joint pain unlikely", "42.9 %"]),
        ([(-10, 6), (25, 6)], ["Negative: intra-articular SI joint pain unlikely", "did not fall"]),
        ([(-10, 5), (24, 7)], ["Negative: intra-articular SI joint pain", "Pain rose"]),
        ([(25, 3)], ["Non-diagnostic", "No baseline score was recorded"]),
        ([(-10, 7), (40, 1)], ["Non-diagnostic", "No reading was recorded 20–30 minutes"]),
        (
            [(-10, 8), (25, 2)],
            [
                "Indeterminate",
                "reduction 75.0 %",
                "Exactly 75 %: meets 'at least 75 %' criteria, not the configured 'more than 75 %'",
            ],
        ),
    ],
    ids=[
        "positive",
        "indeterminate",
        "below-50",
        "no-change",
        "pain-up",
        "no-baseline",
        "no-window",
        "at-75",
    ],
)
def test_each_outcome_renders_in_words(make_injection, readings, words):
    text = pdf_text(render_report(make_injection(readings)))

    for word in words:
        assert word in text


def test_exactly_at_threshold_with_at_least_rule_is_positive_and_says_so(make_injection, settings):
    settings.SI_PROFILE = "CMS-LCD-2023"

    text = pdf_text(render_report(make_injection([(-10, 4), (22, 1)])))

    assert "Positive (single block): consistent with SI joint pain" in text
    assert "meets the configured 'at least 75 %' rule" in text
    assert "Profile CMS-LCD-2023@2 as configured: Positive when pain falls by at least 75 %" in text


def test_a_pending_draft_prints_pending_and_a_provisional_one_says_so(make_injection):
    pending = pdf_text(render_report(make_injection([(-5, 8)], minutes_ago=10)))
    provisional = pdf_text(render_report(make_injection([(-5, 8), (21, 1)], minutes_ago=25)))
    assert "Pending: the 20–30 minute reading is not in yet" in pending
    assert "Non-diagnostic" not in pending
    assert "(provisional: the window is open)" in provisional


def test_injection_without_readings_renders(make_injection):
    text = pdf_text(render_report(make_injection([])))

    assert "No pain readings recorded." in text
    assert "Non-diagnostic" in text
    assert "days with data 0 of 7" in text


def test_sixty_readings_paginate_with_page_n_of_m_on_every_page(make_injection):
    readings = [(-15, 8)] + [(20 + minutes * 160, 3 + minutes % 4) for minutes in range(59)]
    injection = make_injection(readings, minutes_ago=8 * DAY)

    pages = pdf_pages(render_report(injection))

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert injection.patient.mrn in text
    assert all("Clock time" in text for text in pages[:-1])  # the table header repeats


@pytest.mark.parametrize("reading_count", [0, 3, 40])
def test_report_query_count_is_fixed_whatever_the_readings(
    make_injection, django_assert_num_queries, reading_count
):
    injection = make_injection(
        [(-10, 8)] + [(20 + n * 200, 2) for n in range(reading_count)], minutes_ago=8 * DAY
    )
    injection = Injection.objects.get(pk=injection.pk)

    # Injection with patient and proceduralist, readings, withdrawn readings, sign-offs,
    # amendments; coverage: the patient's work-ups, blocks and their readings.
    with django_assert_num_queries(8):
        render_report(injection)


def test_gathered_facts_mark_decisive_and_out_of_window_readings(make_injection):
    injection = make_injection([(-30, 9), (-10, 8), (15, 5), (22, 2), (28, 2), (45, 1)])

    facts = gather_report(injection)

    marks = [(row.phase, row.marks) for row in facts.readings]
    assert marks[2:] == [
        ("15 min after", "Outside window"),
        ("22 min after", "Decisive"),
        ("28 min after", ""),
        ("45 min after", "Outside window"),
    ]
    assert facts.evaluation.baseline == 8
    assert [row.reduction for row in facts.readings[2:4]] == ["37.5 %", "75.0 %"]
    assert [row.change_points for row in facts.readings[2:4]] == ["-3", "-6"]
    assert facts.meets_rule_score == 1


def test_gathered_follow_up_week_counts_days_mean_and_lowest(clinic_clock, make_injection):
    readings = [(-10, 8), (25, 2), (DAY + 60, 3), (DAY + 120, 4), (3 * DAY + 60, 6)]
    facts = gather_report(make_injection(readings, minutes_ago=5 * DAY))

    by_day = {day.day: day for day in facts.follow_up}
    entries = sum(day.entries for day in facts.follow_up)
    assert entries == 3
    assert facts.follow_up_days_with_data == 2
    busiest = max(facts.follow_up, key=lambda day: day.entries)
    assert (busiest.entries, busiest.mean, busiest.lowest) == (2, "3.5", 3)
    assert all(by_day[day].mean == "—" for day in by_day if not by_day[day].entries)


def test_non_ascii_names_come_out_of_the_pdf(make_injection, make_patient):
    zoe = make_patient(given_name="Zoë", family_name="Ångström-Nuñez")
    bruce = make_patient(given_name="小龍", family_name="李")

    zoe_text = pdf_text(render_report(make_injection(POSITIVE, patient=zoe)))
    bruce_pdf = render_report(make_injection(POSITIVE, patient=bruce))

    assert "ÅNGSTRÖM-NUÑEZ, Zoë" in zoe_text
    assert "李, 小龍" in pdf_text(bruce_pdf)
    fonts = PdfReader(io.BytesIO(bruce_pdf)).pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any("DroidSansFallback" in name for name in names)
    assert any("DejaVuSans" in name for name in names)


def test_draft_marking_until_a_signature_is_given(make_injection):
    facts = gather_report(make_injection(POSITIVE))

    draft = pdf_text(draw_report(facts))
    signed = pdf_text(
        draw_report(
            gather_report(
                make_injection(POSITIVE),
                signature=Signature(signed_by="Dr Ada Reviewer", signed_at="2025-03-01 10:00 UTC"),
            )
        )
    )

    assert "DRAFT — not signed" in draft
    assert "Interpretation signed by" in draft
    assert "DRAFT" not in signed
    assert "Dr Ada Reviewer" in signed


def test_invariant_mode_gives_identical_bytes(make_injection):
    injection = make_injection(POSITIVE)

    assert render_report(injection, invariant=True) == render_report(injection, invariant=True)


@pytest.mark.parametrize(("setting", "width"), [("A4", 595), ("LETTER", 612)])
def test_page_size_follows_the_setting(make_injection, settings, setting, width):
    settings.REPORT_PAGE_SIZE = setting

    page = PdfReader(io.BytesIO(render_report(make_injection(POSITIVE)))).pages[0]

    assert round(float(page.mediabox.width)) == width


def test_file_names_carry_mrn_date_and_id_but_no_name(make_injection, make_patient):
    patient = make_patient(mrn="A/B 12", given_name="Zoë", family_name="Nuñez")
    injection = make_injection(POSITIVE, patient=patient)
    facts = gather_report(injection)

    name = report_filename(facts.mrn, facts.performed_on, facts.injection_id)

    assert name == f"si-report-A-B-12-{facts.performed_on:%Y-%m-%d}-injection-{injection.pk}.pdf"
    assert "Nu" not in name and "Zo" not in name


def test_bulk_zip_holds_one_valid_pdf_per_injection(make_injection):
    injections = [make_injection(POSITIVE) for _ in range(3)]
    make_injection(POSITIVE)  # not selected
    selected = Injection.objects.filter(pk__in=[i.pk for i in injections])

    archive = zipfile.ZipFile(io.BytesIO(b"".join(stream_zip(report_files(selected)))))

    assert len(archive.namelist()) == 3
    for injection in injections:
        [name] = [n for n in archive.namelist() if n.endswith(f"-injection-{injection.pk}.pdf")]
        assert injection.patient.mrn in pdf_text(archive.read(name))


def test_bulk_zip_streams_each_report_as_it_is_rendered():
    consumed = []

    def files():
        for number in range(3):
            consumed.append(number)
            yield f"report-{number}.pdf", b"%PDF-1.4 fake"

    stream = stream_zip(files())
    first = next(stream)

    assert consumed == [0]
    assert first.startswith(b"PK")


def test_admin_action_downloads_a_zip_of_the_selected_reports(client, staff_user, make_injection):
    injections = [make_injection(POSITIVE) for _ in range(2)]
    client.force_login(staff_user)

    response = client.post(
        reverse("admin:assessments_injection_changelist"),
        {"action": "download_pdf_reports", "_selected_action": [i.pk for i in injections]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(
        report_filename(i.patient.mrn, gather_report(i).performed_on, i.pk) for i in injections
    )


def test_admin_change_page_links_to_the_pdf_report(client, staff_user, make_injection):
    injection = make_injection(POSITIVE)
    client.force_login(staff_user)

    response = client.get(reverse("admin:assessments_injection_change", args=[injection.pk]))

    url = reverse("assessments:injection_report", args=[injection.pk])
    assert f'href="{url}"' in response.content.decode()


def test_report_url_sends_anonymous_users_to_login(client, make_injection):
    url = reverse("assessments:injection_report", args=[make_injection(POSITIVE).pk])

    response = client.get(url)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_report_url_refuses_staff_without_view_permission(client, make_user, make_injection):
    client.force_login(make_user())

    response = client.get(
        reverse("assessments:injection_report", args=[make_injection(POSITIVE).pk])
    )

    assert response.status_code == 403


def test_report_url_serves_the_pdf_with_view_permission(
    client, make_user, make_patient, make_injection
):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="view_injection"))
    patient = make_patient(mrn="MRN-77", given_name="Zoë", family_name="Nuñez")
    injection = make_injection(POSITIVE, patient=patient)
    client.force_login(user)

    response = client.get(reverse("assessments:injection_report", args=[injection.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "MRN-77" in response["Content-Disposition"]
    assert "Nu" not in response["Content-Disposition"]
    assert "MRN-77" in pdf_text(response.content)


def test_report_url_is_404_for_an_unknown_injection(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("assessments:injection_report", args=[987654]))

    assert response.status_code == 404


def test_export_report_writes_one_pdf(tmp_path, make_injection):
    injection = make_injection(POSITIVE)
    target = tmp_path / "one.pdf"

    call_command("export_report", str(injection.pk), "-o", str(target), stdout=io.StringIO())

    assert injection.patient.mrn in pdf_text(target.read_bytes())


def test_export_report_writes_a_zip_and_a_directory(tmp_path, make_injection, make_patient):
    injections = [
        make_injection(POSITIVE, patient=make_patient(given_name="Zoë", family_name="Nuñez"))
        for _ in range(2)
    ]
    ids = [str(i.pk) for i in injections]

    call_command("export_report", *ids, "-o", str(tmp_path / "out.zip"), stdout=io.StringIO())
    call_command("export_report", *ids, "-o", str(tmp_path / "dir"), stdout=io.StringIO())

    zipped = zipfile.ZipFile(tmp_path / "out.zip").namelist()
    written = sorted(path.name for path in (tmp_path / "dir").iterdir())
    assert sorted(zipped) == written
    assert len(written) == 2
    assert not any("Nu" in name or "Zo" in name for name in written)
    for name in written:
        assert pdf_text((tmp_path / "dir" / name).read_bytes())


def test_export_report_all_exports_every_injection(tmp_path, make_injection):
    for _ in range(3):
        make_injection(POSITIVE)
    out = io.StringIO()

    call_command("export_report", "--all", "-o", str(tmp_path / "all"), stdout=out)

    assert len(list((tmp_path / "all").iterdir())) == Injection.objects.count() == 3
    assert "Wrote 3 reports" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999", "-o", "x.pdf"], "No injection with id 999999"),
        (["-o", "x.zip"], "Give injection ids or --all"),
        (["{a}", "{b}", "-o", "x.pdf"], "A .pdf holds one report"),
    ],
)
def test_export_report_refuses_bad_requests(tmp_path, make_injection, args, message):
    first, second = make_injection(POSITIVE), make_injection(POSITIVE)
    args = [arg.format(a=first.pk, b=second.pk) for arg in args]
    args = [str(tmp_path / arg) if arg.startswith("x.") else arg for arg in args]

    with pytest.raises(CommandError, match=message):
        call_command("export_report", *args, stdout=io.StringIO())


def test_report_shows_times_in_the_clinic_time_zone(make_injection, settings):
    settings.TIME_ZONE = "America/New_York"
    injection = make_injection(POSITIVE, minutes_ago=3 * DAY)

    text = pdf_text(render_report(injection))

    assert " EST" in text or " EDT" in text
    assert facts_time_is_local(injection, text)


def facts_time_is_local(injection, text):
    from django.utils import timezone

    local = timezone.localtime(injection.performed_at, timezone.get_default_timezone())
    shown = f"{local.day} {local:%b %Y}, {local:%H:%M %Z}"
    return shown in text and local.utcoffset() != timedelta(0)

"""Input at the edges: long free text, absurd dates and daylight-saving clock times.

Each refusal lands on its field and writes nothing; each accepted long text still prints,
signs and bundles.
"""

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import signing
from assessments.models import Injection, PainReading, Patient
from assessments.models.limits import NOTES_MAX
from assessments.reports import bundle as report_bundle
from assessments.reports import render_report
from tests.builders import injection_post, pdf_pages, pdf_text

PROSE = "Pain on standing from a chair, worse after driving; settles lying on the left side. "


def prose(length):
    """Ordinary typed prose of exactly `length` characters (no trailing space to strip)."""
    return (PROSE * (length // len(PROSE) + 1))[: length - 1] + "."


@pytest.fixture
def clinician(make_role_user):
    return make_role_user("Clinician")


@pytest.fixture
def clinic_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"


# --- long free text -----------------------------------------------------------------------


def test_ten_thousand_characters_of_notes_flow_across_pages(make_injection):
    injection = make_injection([(-5, 8), (25, 2)], notes=prose(NOTES_MAX - 8) + " THE END")

    pages = pdf_pages(render_report(injection))

    assert len(pages) >= 2
    assert "Procedure notes" in pages[0]
    assert "THE END" in " ".join(pages)
    assert all(f"of {len(pages)}" in page for page in pages)


def test_a_record_with_long_notes_signs_and_archives(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)], notes=prose(6000))

    signoff = signing.sign_off(injection.pk, clinician)

    assert "Signed, version 1" in pdf_text(signing.verified_archive(signoff.archived_report))


def test_the_admin_sign_off_page_signs_a_record_with_long_notes(client, make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)], notes=prose(NOTES_MAX))
    client.force_login(clinician)

    response = client.post(
        reverse("admin:assessments_injection_sign", args=[injection.pk]), {"outcome": "positive"}
    )

    assert response.status_code == 302
    assert Injection.objects.get(pk=injection.pk).is_locked


def test_a_report_that_fails_is_named_in_the_zip_not_truncated(make_injection, monkeypatch):
    good, bad = make_injection([(-5, 8), (25, 1)]), make_injection([(-5, 8), (25, 1)])
    real = report_bundle.render_report

    def render(injection, **options):
        if injection.pk == bad.pk:
            raise ValueError("drawing failed")
        return real(injection, **options)

    monkeypatch.setattr(report_bundle, "render_report", render)
    both = Injection.objects.filter(pk__in=[good.pk, bad.pk])

    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(report_bundle.stream_zip(report_bundle.report_files(both))))
    )

    assert archive.testzip() is None
    names = archive.namelist()
    assert len(names) == 2 and report_bundle.FAILURES_NAME in names
    assert f"#{bad.pk}" in archive.read(report_bundle.FAILURES_NAME).decode()
    assert f"-injection-{good.pk}.pdf" in next(n for n in names if n.endswith(".pdf"))


def test_export_report_names_a_report_it_could_not_draw(tmp_path, make_injection, monkeypatch):
    from django.core.management import CommandError, call_command

    injection = make_injection([(-5, 8), (25, 1)])
    monkeypatch.setattr(report_bundle, "render_report", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(CommandError, match=f"#{injection.pk}"):
        call_command("export_report", injection.pk, "-o", str(tmp_path / "out.zip"))
    assert zipfile.ZipFile(tmp_path / "out.zip").testzip() is None


def test_notes_beyond_the_limit_are_a_field_error_in_the_admin(client, make_injection, staff_user):
    injection = make_injection([(-5, 8)])
    client.force_login(staff_user)
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    data = injection_post(
        injection.patient, staff_user, injection.performed_at, notes=prose(NOTES_MAX + 1)
    )

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["notes"]
    assert f"at most {NOTES_MAX:,}".replace(",", "") in errors[0].replace(",", "")
    assert Injection.objects.get(pk=injection.pk).notes == ""


def test_database_refuses_notes_beyond_the_limit(make_injection):
    injection = make_injection()
    with pytest.raises(IntegrityError), transaction.atomic():
        Injection.objects.filter(pk=injection.pk).update(notes="x" * (NOTES_MAX + 1))
    # PostgreSQL's varchar(200) answers first (DataError); SQLite needs the CHECK.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        PainReading.objects.create(
            injection=injection, recorded_at=timezone.now(), score=1, note="n" * 201
        )


# --- absurd dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("performed_at", "0001-01-01T00:30", "from 1 January 2000"),
        ("performed_at", "1900-06-01T09:00", "from 1 January 2000"),
        ("performed_at", "9999-12-31T23:59", "cannot be in the future"),
        ("baseline_at", "0001-01-01T00:10", "from 1 January 2000"),
        ("date_of_birth", "1800-01-01", "from 1900"),
        ("date_of_birth", "0001-01-01", "from 1900"),
    ],
)
def test_new_injection_refuses_absurd_dates_on_the_field(
    client, make_role_user, new_injection_body, clinic_zone, field, value, message
):
    client.force_login(make_role_user("Nurse"))
    response = client.post(
        reverse("assessments:new_injection"), new_injection_body(**{field: value})
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Patient.objects.exists() and not Injection.objects.exists()


def test_new_injection_refuses_a_birth_after_the_injection(
    client, make_role_user, new_injection_body
):
    client.force_login(make_role_user("Nurse"))
    body = new_injection_body(date_of_birth=timezone.localdate().isoformat())
    body["performed_at"] = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    body["baseline_at"] = (timezone.localtime() - timedelta(days=2, minutes=10)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(reverse("assessments:new_injection"), body)
    assert response.status_code == 200
    assert "before the patient's birth" in response.context["form"].errors["performed_at"][0]
    assert not Injection.objects.exists()


def test_quick_entry_refuses_a_year_one_time_on_the_field(
    client, make_role_user, make_injection, clinic_zone
):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    client.force_login(make_role_user("Nurse"))
    response = client.post(
        reverse("assessments:quick_reading", args=[injection.pk]),
        {"score": "2", "recorded_at": "0001-01-01T00:30", "context": "provoked"},
    )
    assert response.status_code == 200
    assert "from 1 January 2000" in response.context["form"].errors["recorded_at"][0]
    assert injection.readings.count() == 1


def test_admin_refuses_a_year_one_injection_on_the_field(
    client, staff_user, make_injection, clinic_zone
):
    injection = make_injection([(-5, 8)])
    client.force_login(staff_user)
    data = injection_post(injection.patient, staff_user, injection.performed_at)
    data.update({"performed_at": "0001-01-01T00:30:00"})
    response = client.post(reverse("admin:assessments_injection_change", args=[injection.pk]), data)
    assert response.status_code == 200
    assert "from 1 January 2000" in response.context["adminform"].form.errors["performed_at"][0]


@pytest.mark.parametrize(
    "change",
    [
        lambda i: Injection.objects.filter(pk=i.pk).update(
            performed_at=datetime(1990, 1, 1, tzinfo=UTC)
        ),
        lambda i: PainReading.objects.filter(injection=i).update(
            recorded_at=datetime(1999, 6, 1, tzinfo=UTC)
        ),
        lambda i: Patient.objects.filter(pk=i.patient_id).update(date_of_birth=date(1899, 12, 31)),
    ],
    ids=["injection before 2000", "reading before 2000", "born before 1900"],
)
def test_database_refuses_absurd_dates(make_injection, change):
    injection = make_injection([(-5, 8)])
    with pytest.raises(IntegrityError), transaction.atomic():
        change(injection)


# --- daylight saving on the follow-up week --------------------------------------------------


@pytest.mark.parametrize(
    "day, time, message",
    [
        (date(2026, 3, 29), "01:30", "01:30 does not exist on Sun 29 Mar 2026"),
        (date(2026, 10, 25), "01:30", "01:30 happens twice on Sun 25 Oct 2026"),
    ],
)
def test_week_page_refuses_skipped_and_ambiguous_clock_times(
    client, make_role_user, make_injection, settings, day, time, message
):
    settings.TIME_ZONE = "Europe/London"
    performed = timezone.make_aware(datetime.combine(day - timedelta(days=2), datetime.min.time()))
    injection = make_injection([(-5, 8), (25, 2)], performed_at=performed + timedelta(hours=10))
    client.force_login(make_role_user("Nurse"))
    body = {
        "target": "d2",
        "d2-recorded_at": time,
        "d2-score": "4",
        "d2-context": "rest",
        "d2-source": "patient",
    }

    response = client.post(reverse("assessments:follow_up_week", args=[injection.pk]), body)

    assert response.status_code == 200
    form = next(d["add_form"] for d in response.context["days"] if d["number"] == 2)
    assert message in form.errors["recorded_at"][0]
    assert injection.readings.count() == 2

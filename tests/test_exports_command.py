"""export_data: the command-line export, its filters, its log row and its errors."""

import csv
import getpass
import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments import signing
from assessments.exports import csv_wide
from assessments.models import DataExport

ROOT = Path(__file__).resolve().parent.parent


def export(*arguments):
    out = io.StringIO()
    call_command("export_data", *arguments, stdout=out)
    return out.getvalue()


def wide_ids(path):
    with open(path, encoding="utf-8-sig", newline="") as exported:
        return sorted(int(row["injection_id"]) for row in csv.DictReader(exported))


def test_it_writes_the_file_and_logs_the_command_line_user(make_injection, tmp_path):
    injection = make_injection([(-5, 8), (25, 1)])
    target = tmp_path / "all.csv"
    assert "Wrote 1 injection to" in export("--format", "csv-wide", "-o", str(target))
    assert wide_ids(target) == [injection.pk]
    (entry,) = DataExport.objects.all()
    assert (entry.format, entry.injections, entry.user) == ("csv-wide", 1, None)
    assert entry.actor == f"command line ({getpass.getuser()})"
    assert list(tmp_path.iterdir()) == [target]


def test_signed_only_and_the_date_range_select_injections(make_injection, clinician, tmp_path):
    old = make_injection([(-5, 8), (25, 1)], minutes_ago=20 * 24 * 60)
    recent = make_injection([(-5, 8), (25, 1)], minutes_ago=2 * 24 * 60)
    signing.sign_off(recent.pk, clinician)
    make_injection([(-5, 8), (25, 1)], minutes_ago=2 * 24 * 60)  # recent, unsigned
    since = timezone.localdate(timezone.now() - timedelta(days=5)).isoformat()
    until = timezone.localdate(timezone.now() - timedelta(days=10)).isoformat()
    export("--format", "csv-wide", "--signed-only", "--since", since, "-o", str(tmp_path / "a"))
    assert wide_ids(tmp_path / "a") == [recent.pk]
    export("--format", "csv-wide", "--until", until, "-o", str(tmp_path / "b"))
    assert wide_ids(tmp_path / "b") == [old.pk]
    assert DataExport.objects.order_by("pk").last().selection == (
        f"command line: format csv-wide, until {until}"
    )


def test_fhir_and_redcap_files_are_complete(make_injection, tmp_path):
    make_injection([(-5, 8), (25, 1)])
    export("--format", "fhir", "-o", str(tmp_path / "bundle.json"))
    assert json.loads((tmp_path / "bundle.json").read_text())["resourceType"] == "Bundle"
    export("--format", "redcap", "-o", str(tmp_path / "redcap.zip"))
    assert (tmp_path / "redcap.zip").read_bytes().startswith(b"PK")


def test_fhir_carries_the_signed_pdfs_only_with_reports_and_the_log_says_so(signed, tmp_path):
    export("--format", "fhir", "-o", str(tmp_path / "plain.json"))
    export("--format", "fhir", "--with-reports", "-o", str(tmp_path / "reports.json"))

    def forms(name):
        bundle = json.loads((tmp_path / name).read_text())
        entries = [entry["resource"] for entry in bundle["entry"]]
        return [r.get("presentedForm") for r in entries if r["resourceType"] == "DiagnosticReport"]

    assert forms("plain.json") == [None]
    assert forms("reports.json")[0][0]["contentType"] == "application/pdf"
    plain, with_reports = DataExport.objects.order_by("pk")
    assert (plain.with_reports, with_reports.with_reports) == (False, True)
    assert "with the signed PDFs (they name the patient)" in with_reports.selection


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "csv", "--with-reports"], "--with-reports is for --format fhir"),
        (["--format", "xlsx"], "Unknown format 'xlsx'"),
        (["--format", "csv", "--since", "26/11/2026"], "give a date as YYYY-MM-DD"),
        (["--format", "csv", "--until", "2026-02-30"], "give a date as YYYY-MM-DD"),
        (["--format", "csv", "--until", "9999-12-31"], "give a date from 2000 to 2099"),
        (["--format", "csv", "--since", "0001-01-01"], "give a date from 2000 to 2099"),
    ],
)
def test_a_mistake_exits_2_and_writes_nothing(db, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message) as raised:
        export(*arguments, "-o", str(tmp_path / "out.csv"))
    assert raised.value.returncode == 2
    assert list(tmp_path.iterdir()) == []
    assert not DataExport.objects.exists()


def test_an_existing_file_is_never_overwritten(db, tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="exists") as raised:
        export("--format", "csv", "-o", str(target))
    assert raised.value.returncode == 2
    assert target.read_text() == "keep me"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failure_half_way_leaves_no_partial_file(make_injection, tmp_path, monkeypatch):
    make_injection([(-5, 8), (25, 1)])
    make_injection([(-5, 8), (25, 1)])
    written = []

    def failing_row(facts):
        if written:
            raise RuntimeError("disk on fire")
        written.append(facts.injection.pk)
        return original(facts)

    original = csv_wide.injection_row
    monkeypatch.setattr(csv_wide, "injection_row", failing_row)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export("--format", "csv-wide", "-o", str(tmp_path / "out.csv"))
    assert written  # the first injection was written before the failure
    assert list(tmp_path.iterdir()) == []
    assert not DataExport.objects.exists()


def test_the_exit_status_is_2_from_the_shell(tmp_path):
    # No database needed: the format is refused before any query.
    env = {**os.environ, "SECRET_KEY": "x", "HTTPS": "0"}
    target = tmp_path / "out.csv"
    command = [sys.executable, "manage.py", "export_data", "--format", "xml", "-o", str(target)]
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert finished.returncode == 2
    assert "Unknown format 'xml'" in finished.stderr
    assert not target.exists()

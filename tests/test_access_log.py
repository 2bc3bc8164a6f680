from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from assessments.models import ReportAccess


def test_viewing_a_pdf_is_logged_with_the_user(client, staff_user, make_injection):
    injection = make_injection([(-5, 8), (25, 1)])
    client.force_login(staff_user)
    assert (
        client.get(reverse("assessments:injection_report", args=[injection.pk])).status_code == 200
    )
    access = ReportAccess.objects.get()
    assert (access.injection_id, access.user, access.kind) == (injection.pk, staff_user, "view")


def test_bulk_zip_logs_each_selected_injection(client, staff_user, make_injection):
    injections = [make_injection([(-5, 8), (25, 1)]) for _ in range(3)]
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:assessments_injection_changelist"),
        {"action": "download_pdf_reports", "_selected_action": [i.pk for i in injections]},
    )
    b"".join(response.streaming_content)
    assert sorted(
        ReportAccess.objects.filter(kind="bulk").values_list("injection_id", flat=True)
    ) == sorted(i.pk for i in injections)


def test_command_line_export_is_logged(make_injection, tmp_path):
    injection = make_injection([(-5, 8), (25, 1)])
    call_command(
        "export_report", str(injection.pk), "-o", str(tmp_path / "one.pdf"), stdout=StringIO()
    )
    access = ReportAccess.objects.get()
    assert access.kind == "export" and access.actor.startswith("command line")


def test_access_log_is_read_only_in_the_admin(client, staff_user, make_injection):
    injection = make_injection()
    client.force_login(staff_user)
    client.get(reverse("assessments:injection_report", args=[injection.pk]))
    access = ReportAccess.objects.get()
    listing = client.get(reverse("admin:assessments_reportaccess_changelist"))
    assert listing.status_code == 200 and staff_user.username in listing.content.decode()
    assert (
        client.post(
            reverse("admin:assessments_reportaccess_delete", args=[access.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:assessments_reportaccess_add")).status_code == 403
    assert ReportAccess.objects.filter(pk=access.pk).exists()

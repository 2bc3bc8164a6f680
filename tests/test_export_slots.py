"""Bulk downloads are bounded per server process (EXPORTS_PER_WORKER): one more is refused
at once with a clear page (429) and nothing logged; a slot comes back however a download
ends. The figures under load are bench/export_while_serving.py's."""

import threading

import pytest
from django.urls import reverse

from assessments.exports import slots
from assessments.models import DataExport, Injection, ReportAccess

EXPORT_URL = reverse("admin:assessments_injection_export", args=["fhir"])
CHANGELIST = reverse("admin:assessments_injection_changelist")


@pytest.fixture
def auditor(client, make_role_user, make_injection):
    make_injection([(-5, 8), (25, 1)])
    client.force_login(make_role_user("Auditor"))
    return client


@pytest.fixture
def another_download():
    """A download streaming in another server thread, until the test ends."""
    taken, done = threading.Event(), threading.Event()
    holder = []

    def stream():
        holder.append(slots.take())
        taken.set()
        done.wait(timeout=60)
        holder[0].release()

    thread = threading.Thread(target=stream)
    thread.start()
    taken.wait(timeout=10)
    yield holder[0]
    done.set()
    thread.join(timeout=10)


def test_an_export_while_another_streams_is_refused_clearly_and_not_logged(
    auditor, another_download
):
    response = auditor.get(EXPORT_URL)

    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "try again in a minute" in response.content.decode()
    assert not DataExport.objects.exists()


def test_the_export_runs_once_the_other_has_ended(auditor, another_download):
    another_download.release()

    response = auditor.get(EXPORT_URL)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b'{"resourceType":"Bundle"')
    assert DataExport.objects.count() == 1


def test_a_pdf_zip_while_another_download_streams_is_refused(auditor, another_download):
    injection_ids = list(Injection.objects.values_list("pk", flat=True))
    response = auditor.post(
        CHANGELIST, {"action": "download_pdf_reports", "_selected_action": injection_ids}
    )

    assert response.status_code == 429
    assert not ReportAccess.objects.exists()


def test_a_finished_export_gives_its_slot_back(auditor):
    response = auditor.get(EXPORT_URL)
    assert slots.running() == 1

    b"".join(response.streaming_content)

    assert slots.running() == 0


def test_an_export_closed_half_way_gives_its_slot_back(auditor):
    response = auditor.get(EXPORT_URL)
    next(iter(response.streaming_content))

    response.close()

    assert slots.running() == 0


def test_an_export_failing_half_way_gives_its_slot_back(auditor, monkeypatch):
    from assessments.exports import fhir

    def failing(*args, **kwargs):
        yield b"{"
        raise RuntimeError("disk gone")

    monkeypatch.setattr(fhir, "chunks", failing)
    response = auditor.get(EXPORT_URL)
    with pytest.raises(RuntimeError):
        b"".join(response.streaming_content)

    assert slots.running() == 0


def test_a_thread_starting_a_new_request_has_finished_its_last_download():
    first = slots.take()
    second = slots.take()  # the same thread: its first download ended, closed or not

    assert slots.running() == 1
    first.release()  # late: no effect on the slot now held
    assert slots.running() == 1
    second.release()
    assert slots.running() == 0


def test_no_bound_when_set_to_zero(auditor, another_download, settings):
    settings.EXPORTS_PER_WORKER = 0

    assert auditor.get(EXPORT_URL).status_code == 200

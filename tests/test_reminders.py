"""Diary reminders: due at the diary's slots, never at night, never twice, and sent through
a real SMTP server in the patient's language."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from assessments import signing
from assessments.diary import services as diary
from assessments.models import PainReading, Reminder, ReminderSend
from assessments.reminders.sending import claim, plan, run_round, send_one
from assessments.reminders.services import stop_reminders
from tests.reminder_fixtures import SITE, at

pytestmark = pytest.mark.django_db
HOUR_SLOTS_FILLED = [(15, 3), (30, 3), (45, 3), (60, 3)]  # so 11:00 (120 min) is due


def test_a_due_slot_is_reminded_through_the_smtp_server_once(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED)

    first = run_round()
    second = run_round()

    assert (first.count("sent"), second.count("sent")) == (1, 0)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert inbox.recipients == [["lucia@example.org"]]
    assert message["Subject"] == "Clínica Sol: es hora de su diario del dolor"
    assert message["Content-Language"] == "es"
    body = message.get_content()
    assert body.startswith("Hola, Lucía:")
    assert "martes 3 de marzo de 2026, 11:00 CET" in body
    assert f"{SITE}/diary/{link.token}/" in body
    reminder = Reminder.objects.get()
    opt_out = f"{SITE}/reminders/stop/{reminder.pk}:"
    assert opt_out in body and opt_out in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (reminder.status, reminder.slot_minutes, reminder.channel) == ("sent", 120, "email")
    send = ReminderSend.objects.get()
    assert (send.delivered, send.recipient, send.error) == (True, "lucia@example.org", "")
    assert send.provider_reference == message["Message-ID"]


def test_the_message_names_no_score_result_family_name_or_mrn(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED, preferred_language="en", given_name="Ana")
    run_round()
    message = inbox.messages[0]
    text = message["Subject"] + message.get_content()
    assert text.startswith("Clínica Sol: time for your pain diary") and "Hello Ana," in text
    for secret in ("Zubizarreta", "MRN-4242", "/10", "positive", "negative", "SI joint"):
        assert secret.lower() not in text.lower()


def test_nothing_is_sent_in_the_quiet_hours_and_the_slot_waits_until_morning(
    inbox, remindable, time_machine
):
    time_machine.move_to(at(3, 17, 30), tick=False)
    remindable(HOUR_SLOTS_FILLED + [(120, 3), (180, 3), (240, 3), (300, 3), (360, 3), (420, 3)])
    for evening in (at(3, 21, 0), at(3, 22, 0), at(4, 7, 59)):
        time_machine.move_to(evening, tick=False)
        assert run_round().quiet
    assert inbox.messages == [] and not Reminder.objects.exists()

    time_machine.move_to(at(4, 8, 0), tick=False)
    assert run_round().count("sent") == 1
    assert Reminder.objects.get().slot_minutes == 480  # 17:00, the latest slot that came
    assert "martes 3 de marzo de 2026, 17:00 CET" in inbox.messages[0].get_content()


def test_no_reminder_once_the_slot_is_filled(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED)
    diary.add_patient_entry(link, score=2, context="provoked", recorded_at=at(3, 11, 1))
    assert run_round().planned == 0
    assert inbox.messages == []


def test_a_slot_filled_after_planning_is_not_sent(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED)
    plan(at(3, 11, 5))
    diary.add_patient_entry(link, score=2, context="provoked", recorded_at=at(3, 11, 2))
    reminder = claim(at(3, 11, 5), "test:1")
    assert send_one(reminder, "test:1") == "not_sent"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.why_not_sent) == ("not_sent", "slot filled")
    assert inbox.messages == [] and not ReminderSend.objects.exists()


@pytest.mark.parametrize(
    "stop",
    ["revoked", "opted out", "no consent", "no address"],
)
def test_no_reminder_for_a_closed_link_or_a_patient_who_cannot_have_one(
    inbox, remindable, time_machine, make_user, make_role_user, stop
):
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED)
    patient = link.injection.patient
    if stop == "revoked":
        diary.revoke(link, user=make_user())
    elif stop == "opted out":
        stop_reminders(patient)
    elif stop == "no consent":
        patient.reminder_consent_at = patient.reminder_consent_by = None
        patient.save()
    else:
        patient.email = ""
        patient.save()
    assert run_round().planned == 0
    assert inbox.messages == []


def test_a_signed_record_is_still_reminded_about_in_its_week(
    inbox, remindable, time_machine, make_role_user
):
    """The sign-off locks the block; the patient's week (and its reminders) goes on."""
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED)
    PainReading.objects.create(injection=link.injection, recorded_at=at(3, 9, 25), score=1)
    signing.sign_off(link.injection.pk, make_role_user("Clinician"))
    assert run_round().count("sent") == 1


def test_a_new_consent_after_an_opt_out_starts_reminders_again(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 10, 0), tick=False)
    patient = remindable(HOUR_SLOTS_FILLED).injection.patient
    stop_reminders(patient)
    time_machine.move_to(at(3, 11, 5), tick=False)
    patient.refresh_from_db()
    patient.reminder_consent_at = at(3, 11, 0)
    patient.save()
    assert run_round().count("sent") == 1


def test_none_once_the_week_is_over(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable()
    time_machine.move_to(at(10, 20, 0), tick=False)  # day 7's slot at 18:00 is empty: due
    assert run_round().count("sent") == 1
    time_machine.move_to(at(11, 9, 0), tick=False)  # day 8: the week is over
    assert run_round().planned == 0
    assert len(inbox.messages) == 1


def test_a_daily_slot_is_reminded_once_and_the_next_day_again(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable()
    for moment in (at(4, 18, 0), at(4, 18, 30), at(4, 20, 59), at(5, 18, 1)):
        time_machine.move_to(moment, tick=False)
        run_round()
    assert list(Reminder.objects.values_list("slot_day", "status")) == [
        (1, "sent"),
        (2, "sent"),
    ]


def test_a_failed_send_is_logged_with_the_error_and_not_the_message(
    inbox, remindable, time_machine
):
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    assert run_round().count("failed") == 1
    send = ReminderSend.objects.get()
    assert not send.delivered
    assert "550" in send.error and "Mailbox unavailable" in send.error
    assert "Lucía" not in send.error and "diary" not in send.error
    assert Reminder.objects.get().status == "failed"
    assert run_round().count("failed") == 0  # at most one per slot


def test_the_send_log_is_append_only(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    run_round()
    for change in (
        lambda: ReminderSend.objects.update(error="changed"),
        lambda: ReminderSend.objects.all().delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()


def test_a_text_goes_to_a_patient_with_only_a_mobile(
    clinic_settings, remindable, time_machine, capsys
):
    clinic_settings.SMS_BACKEND = "console"
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(HOUR_SLOTS_FILLED, email="", mobile="+34612345678")
    assert run_round().count("sent") == 1
    printed = capsys.readouterr().out
    assert "SMS to +34612345678:" in printed
    assert f"Clínica Sol: Hola, Lucía: es hora de su diario del dolor: {SITE}/diary/" in printed
    assert link.token in printed and "/reminders/stop/" in printed
    assert Reminder.objects.get().channel == "sms"


def test_texts_switched_off_leave_a_mobile_only_patient_out(
    clinic_settings, remindable, time_machine
):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED, email="", mobile="+34612345678")
    assert run_round().planned == 0


def test_the_command_sends_and_says_what_it_did(inbox, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue() == "11:05 CET: 1 due, 1 sent, 0 failed, 0 not sent.\n"
    assert len(inbox.messages) == 1


def test_the_command_exits_non_zero_when_a_send_failed(inbox, remindable, time_machine):
    inbox.refuse = "554 5.7.1 Rejected"
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_reminders", stdout=StringIO())


def test_the_command_refuses_to_send_links_without_site_url(clinic_settings):
    clinic_settings.SITE_URL = ""
    clinic_settings.DEBUG = False
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("send_reminders", stdout=StringIO())


def test_staff_read_the_send_log_in_the_admin(client, staff_user, inbox, remindable, time_machine):
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    run_round()
    client.force_login(staff_user)
    html = client.get("/admin/assessments/remindersend/").content.decode()
    assert "MRN MRN-4242 · #" in html and "120 min" in html and "Mailbox unavailable" in html
    assert client.post("/admin/assessments/remindersend/add/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_loop_runs_a_round_every_interval(monkeypatch, inbox, remindable, time_machine):
    from types import SimpleNamespace

    from assessments.management.commands import send_reminders

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        time_machine.move_to(at(3, 12, 5), tick=False)  # the next slot (12:00) has come
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(send_reminders, "time", SimpleNamespace(sleep=sleep))
    time_machine.move_to(at(3, 11, 5), tick=False)
    remindable(HOUR_SLOTS_FILLED)
    out = StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_reminders", "--loop", "--interval", "30", stdout=out)
    assert sleeps == [30, 30]
    assert out.getvalue().splitlines() == [
        "11:05 CET: 1 due, 1 sent, 0 failed, 0 not sent.",
        "12:05 CET: 1 due, 1 sent, 0 failed, 0 not sent.",
    ]
    assert len(inbox.messages) == 2

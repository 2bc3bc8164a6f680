"""The patient's pages, handout and reminders in Spanish: the catalogue is complete and
compiled, and no English from a list is left on them. Staff pages stay English."""

import re
from pathlib import Path

import polib
import pytest
from django.urls import reverse
from django.utils import translation

from assessments.diary import services as diary
from assessments.models import Reminder
from assessments.reminders.messages import compose, opt_out_token
from assessments.reminders.sending import run_round
from assessments.reports.handout import handout_facts, render_handout
from tests.builders import pdf_text
from tests.reminder_fixtures import at

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"
# Words of the patient's pages in English that are not Spanish words too.
ENGLISH = [
    "the",
    "your",
    "you",
    "pain",
    "diary",
    "when",
    "send",
    "sent",
    "thank",
    "thanks",
    "hello",
    "sorry",
    "please",
    "call",
    "clinic",
    "link",
    "entry",
    "entries",
    "day",
    "days",
    "time",
    "now",
    "next",
    "stop",
    "reminders",
    "what",
    "how",
    "choose",
    "enter",
    "reading",
    "valid",
    "required",
    "field",
    "this",
    "rest",
    "doing",
    "medicine",
    "scan",
    "phone",
    "after",
    "before",
    "worse",
    "until",
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
    "Jan",
    "Feb",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
ENGLISH_WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)


def english_in(text):
    """English words left in `text` (its buttons' labels too), once tags and links are gone."""
    buttons = re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', text)
    text = re.sub(r"<[^>]+>", " ", text) + " " + " ".join(buttons)
    text = re.sub(r"https?://\S+", " ", text)
    return sorted({word.lower() for word in ENGLISH_WORD.findall(text)})


def catalogue(entries):
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
        for entry in entries
        if entry.msgid
    }


def test_every_string_of_the_spanish_catalogue_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 70


def test_the_committed_mo_is_compiled_from_the_po(tmp_path):
    """`make compile-messages` after editing the .po; make run and make test need no gettext."""
    po = polib.pofile(str(CATALOGUE / "django.po"))
    po.save_as_mofile(str(tmp_path / "fresh.mo"))
    committed = polib.mofile(str(CATALOGUE / "django.mo"))
    assert catalogue(committed) == catalogue(polib.mofile(str(tmp_path / "fresh.mo")))


@pytest.fixture
def spanish(remindable, time_machine, settings):
    """Lucía's diary link (Spanish), on the injection day at 11:05."""
    time_machine.move_to(at(3, 11, 5), tick=False)
    return remindable([(15, 3), (30, 3), (45, 3), (60, 3)])


def test_the_check_finds_english_on_an_english_patients_page(client, remindable, time_machine):
    time_machine.move_to(at(3, 11, 5), tick=False)
    link = remindable(preferred_language="en")
    html = client.get(reverse("diary:entry", args=[link.token])).content.decode()
    assert {"hello", "your", "pain", "send"} <= set(english_in(html))


def test_the_spanish_diary_page_has_no_english(client, spanish):
    response = client.get(reverse("diary:entry", args=[spanish.token]))
    html = response.content.decode()
    assert response["Content-Language"] == "es" and '<html lang="es">' in html
    assert "Hola, Lucía: ¿cómo está su dolor?" in html
    assert "martes 3 de marzo de 2026, 11:00 CET" in html
    assert english_in(html) == []


def test_the_spanish_diary_refuses_bad_entries_in_spanish(client, spanish):
    response = client.post(
        reverse("diary:entry", args=[spanish.token]),
        {"context": "provoked", "recorded_at": "2026-03-04T09:00", "medication": "ibuprofeno"},
    )
    html = response.content.decode()
    assert "Elija una puntuación de 0 a 10." in html
    assert "Indique cuándo lo tomó." in html
    assert english_in(html) == []
    response = client.post(
        reverse("diary:entry", args=[spanish.token]),
        {"score": "3", "context": "provoked", "recorded_at": "2026-03-04T09:00"},
    )
    html = response.content.decode()
    assert "Elija una hora desde" in html and "su diario empieza después" in html
    assert english_in(html) == []


def test_the_spanish_thank_you_and_closed_pages_have_no_english(client, spanish, make_user):
    response = client.post(
        reverse("diary:entry", args=[spanish.token]),
        {"score": "2", "context": "rest", "recorded_at": "2026-03-03T11:04"},
    )
    thanks = client.get(response["Location"]).content.decode()
    assert "Gracias, Lucía." in thanks and english_in(thanks) == []
    diary.revoke(spanish, user=make_user())
    closed = client.get(reverse("diary:entry", args=[spanish.token])).content.decode()
    assert "La clínica ha desactivado este enlace del diario." in closed
    assert english_in(closed) == []


def test_a_link_that_is_not_valid_answers_in_the_browsers_language(client, clinic_settings):
    url = reverse("diary:entry", args=["forged:token"])
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9").content.decode()
    assert "Este enlace del diario no es válido." in spanish and english_in(spanish) == []
    assert "This diary link is not valid." in client.get(url).content.decode()


def test_the_spanish_handout_has_no_english(spanish):
    injection = spanish.injection
    text = pdf_text(render_handout(handout_facts(injection, "https://si.example.org/d/", spanish)))
    assert "Su diario del dolor, Lucía" in text
    assert "Después de su inyección del martes 3 de marzo de 2026, 09:00 CET." in text
    assert english_in(text) == []


def test_the_spanish_reminder_and_opt_out_page_have_no_english(client, inbox, spanish):
    run_round()
    reminder = Reminder.objects.get()
    message = compose(reminder)
    for text in (message.subject, message.body, message.text):
        assert english_in(text) == []
    url = reverse("reminders:opt_out", args=[opt_out_token(reminder)])
    assert english_in(client.get(url).content.decode()) == []
    client.post(url)
    done = client.get(url).content.decode()
    assert "Recordatorios desactivados" in done and english_in(done) == []


def test_staff_pages_stay_english_after_a_spanish_patient_page(client, nurse_client, spanish):
    client.get(reverse("diary:entry", args=[spanish.token]))
    assert translation.get_language() == "en-gb"
    board = nurse_client.get(reverse("assessments:call_list")).content.decode()
    assert "Follow-up calls" in board

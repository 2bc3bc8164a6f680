from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.utils import timezone

from assessments import display
from assessments.diary.links import absolute_url
from assessments.models import DiaryLink, PainReading
from assessments.rules.schedule import due_slot


class Command(BaseCommand):
    help = (
        "List the diary reminders due now: patients with a working diary link whose latest "
        "diary time has come without an entry, for staff to phone. Sends nothing: "
        "send_reminders sends them to patients who agreed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        links = (
            DiaryLink.objects.filter(revoked_at=None, expires_at__gt=now)
            .select_related("injection__patient")
            .prefetch_related(Prefetch("injection__readings", queryset=PainReading.objects.live()))
        )
        due = 0
        for link in links:
            injection = link.injection
            slot = due_slot(injection.diary(injection.readings.all()), now)
            if slot is None or slot.at > now or not injection.follow_up_open(now):
                continue
            due += 1
            patient = injection.patient
            self.stdout.write(
                f"injection #{injection.pk}\t{patient.given_name}\t{patient.phone or '-'}\t"
                f"due {display.date_time(slot.at)}\t{absolute_url(link)}"
            )
        self.stdout.write(f"{due} reminder(s) due.")

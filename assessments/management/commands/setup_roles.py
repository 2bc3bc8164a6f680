"""Create the Clinician, Nurse and Auditor groups with their permissions (idempotent)."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

HISTORY_MODELS = [
    f"historical{model}"
    for model in ["patient", "injection", "painreading", "signoff", "amendment"]
]
CLINICAL_MODELS = ["patient", "injection", "painreading", "workup"]


def perms(actions: list[str], models: list[str]) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


# Nobody but a superuser deletes clinical records, so no group gets delete_*.
ROLES = {
    "Clinician": perms(["view", "add", "change"], CLINICAL_MODELS)
    + perms(["view"], ["signoff", "amendment", "signedreport"])
    + ["sign_injection", "amend_injection", "export_injections", "view_statistics"],
    "Nurse": perms(["view", "add", "change"], CLINICAL_MODELS)
    + perms(["view"], ["signoff", "amendment"]),
    "Auditor": perms(["view"], CLINICAL_MODELS)
    + perms(
        ["view"],
        ["signoff", "amendment", "signedreport", "reportaccess", "dataexport", "remindersend"],
    )
    + perms(["view"], HISTORY_MODELS)
    + ["export_injections", "view_statistics"],
}


class Command(BaseCommand):
    help = "Create or update the Clinician, Nurse and Auditor groups. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, codenames in ROLES.items():
            group, created = Group.objects.get_or_create(name=name)
            permissions = Permission.objects.filter(
                content_type__app_label="assessments", codename__in=codenames
            )
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Unknown permissions for {name}: {sorted(missing)}")
            group.permissions.set(permissions)
            state = "created" if created else "updated"
            self.stdout.write(f"{name}: {state}, {len(codenames)} permissions.")

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create a demo superuser, only when no user exists yet, and print its login."

    def handle(self, *args, **options):
        users = get_user_model().objects
        if users.exists():
            self.stdout.write(
                "Users already exist: no demo superuser created. "
                "Forgot the password? python manage.py changepassword demo"
            )
            return
        password = secrets.token_urlsafe(9)
        users.create_superuser("demo", "", password, first_name="Demo", last_name="Admin")
        self.stdout.write(self.style.SUCCESS(f"Demo superuser created: demo / {password}"))

"""One number that every write to the clinical tables moves on: the board's cache key."""

from django.db import connections, models, router


class DataVersion(models.Model):
    """A single row (id 1). Database triggers (assessments/triggers.py) add one to `number`
    on every insert, update or delete of a patient, injection, reading, sign-off or
    amendment, in the writing transaction, so a reader who sees the new number sees the new
    data too, whichever path wrote it (a page, the admin, a command, raw SQL)."""

    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="assessments_one_version")
        ]

    def __str__(self) -> str:
        return f"Data version {self.number}"

    @classmethod
    def current(cls) -> int:
        """The number now (0 before the first write). Plain SQL: it is asked on every board
        request, and building the ORM query cost more than running it."""
        connection = connections[router.db_for_read(cls)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT number FROM assessments_dataversion WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

"""The admin, configuration-style: one module per group of models.

Importing the modules registers them with the admin site.
"""

from . import injections, patients, records  # noqa: F401

"""The role matrix's records, made once per module (tests/access/world.py)."""

from tests.access.world import (  # noqa: F401 - fixtures
    module_db,
    private_media_root,
    records,
    role_client,
    signed_in,
    world,
)

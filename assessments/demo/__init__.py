"""Demo data for `seed_demo`: named scenarios covering every result, and bulk synthetic rows."""

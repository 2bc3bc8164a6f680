"""Demo patients: twenty injections that between them show every outcome of the rule."""

from datetime import date

DAY = 24 * 60

# (mrn, family, given, born, sex, side, performed minutes ago,
#  readings as (minutes, score, context))
# Minutes are relative to the injection; negative ones are baselines.
SCENARIOS = [
    (
        "DEMO-001",
        "Okafor",
        "Adaeze",
        date(1968, 3, 14),
        "female",
        "left",
        3 * DAY,
        [(-15, 8, "provoked"), (20, 2, "provoked"), (25, 1, "provoked"), (60, 2, "rest")],
    ),
    (
        "DEMO-002",
        "Lindqvist",
        "Erik",
        date(1955, 11, 2),
        "male",
        "right",
        2 * DAY,
        [(-10, 8, "provoked"), (25, 2, "provoked")],
    ),  # exactly 75 %
    (
        "DEMO-003",
        "Ångström-Nuñez",
        "Zoë",
        date(1979, 6, 30),
        "female",
        "left",
        5 * DAY,
        [(-20, 4, "provoked"), (22, 1, "provoked"), (28, 2, "rest")],
    ),  # exactly 75 % at baseline 4
    (
        "DEMO-004",
        "李",
        "小龍",
        date(1983, 1, 9),
        "male",
        "right",
        4 * DAY,
        [(-10, 7, "provoked"), (25, 4, "provoked")],
    ),  # indeterminate
    (
        "DEMO-005",
        "Moreau",
        "Camille",
        date(1990, 8, 21),
        "female",
        "right",
        6 * DAY,
        [(-5, 6, "rest"), (25, 6, "rest")],
    ),  # no change: negative
    (
        "DEMO-006",
        "Patel",
        "Ravi",
        date(1962, 4, 3),
        "male",
        "left",
        7 * DAY,
        [(-5, 5, "provoked"), (24, 7, "provoked")],
    ),  # pain up: negative
    (
        "DEMO-007",
        "Nowak",
        "Agnieszka",
        date(1971, 12, 12),
        "female",
        "left",
        8 * DAY,
        [(25, 3, "rest")],
    ),  # no baseline
    (
        "DEMO-008",
        "Silva",
        "João",
        date(1988, 2, 28),
        "male",
        "right",
        9 * DAY,
        [(-10, 0, "rest"), (25, 0, "rest")],
    ),  # baseline 0
    (
        "DEMO-009",
        "O'Brien",
        "Siobhan",
        date(1959, 9, 17),
        "female",
        "right",
        10 * DAY,
        [(-10, 7, "provoked"), (35, 1, "provoked"), (60, 1, "rest")],
    ),  # no window reading
    (
        "DEMO-010",
        "Kowalczyk",
        "Marek",
        date(1975, 5, 5),
        "male",
        "left",
        10,
        [(-8, 7, "provoked")],
    ),  # performed 10 minutes ago: the window is still to come
    (
        "DEMO-011",
        "Haddad",
        "Layla",
        date(1993, 7, 7),
        "female",
        "left",
        11 * DAY,
        [(-10, 9, "provoked"), (20, 3, "provoked"), (30, 0, "provoked")],
    ),
    (
        "DEMO-012",
        "Schmidt",
        "Jonas",
        date(1966, 10, 10),
        "male",
        "right",
        12 * DAY,
        [(-10, 6, "provoked"), (19.9, 0, "provoked"), (30.1, 1, "provoked")],
    ),  # all outside window
    (
        "DEMO-013",
        "Tanaka",
        "Yui",
        date(1985, 3, 3),
        "female",
        "right",
        1 * DAY,
        [(-10, 10, "provoked"), (26, 2, "provoked")],
    ),
    (
        "DEMO-014",
        "Mensah",
        "Kwame",
        date(1970, 1, 20),
        "male",
        "left",
        13 * DAY,
        [(-10, 8, "provoked"), (21, 5, "provoked"), (29, 4, "provoked")],
    ),
    (
        "DEMO-015",
        "García",
        "Lucía",
        date(1981, 4, 16),
        "female",
        "left",
        2 * DAY,
        [(-10, 5, "rest"), (25, 5, "rest")],
    ),
    (
        "DEMO-016",
        "Ivanova",
        "Olga",
        date(1958, 6, 6),
        "female",
        "right",
        3 * DAY,
        [(-10, 8, "provoked"), (25, 1, "provoked")],
    ),
    (
        "DEMO-017",
        "Cohen",
        "David",
        date(1964, 8, 8),
        "male",
        "left",
        6 * DAY,
        [(-10, 6, "provoked"), (25, 3, "provoked")],
    ),
    (
        "DEMO-018",
        "Nguyen",
        "Linh",
        date(1995, 12, 1),
        "female",
        "right",
        60,
        [(-10, 7, "provoked"), (25, 1, "provoked")],
    ),
    (
        "DEMO-019",
        "Andersen",
        "Freja",
        date(1977, 11, 11),
        "female",
        "left",
        9 * DAY,
        [(-10, 4, "rest"), (25, 2, "rest")],
    ),
    (
        "DEMO-020",
        "Dubois",
        "Louis",
        date(1950, 2, 2),
        "male",
        "right",
        14 * DAY,
        [(-10, 7, "provoked"), (25, 0, "provoked")],
    ),
]


def diary(performed_minutes_ago, rng):
    """Follow-up week entries (one or two a day) for days that have already passed."""
    entries = []
    for day in range(1, 8):
        minutes = day * DAY + rng.choice([-120, 0, 240])
        if minutes >= performed_minutes_ago - 5:
            break
        for extra in range(rng.choice([1, 1, 2])):
            entries.append((minutes + extra * 360, rng.randint(1, 6), "rest", "patient"))
    return entries

"""The block series in words: comparative (dual) blocks and the coding hints. Pure Python.

A comparative pair is two diagnostic blocks on different days with a short- and a
long-acting anaesthetic (lidocaine, then bupivacaine), anaesthetic only. From each block's
duration-of-relief consistency (relief.py) the pair is *concordant* when relief lasts as long
as each agent, longer with the long-acting one; *prolonged both* when both outlast their
agents; *discordant* otherwise; *not assessable* without both durations or without a short-
and a long-acting agent (Barnsley 1993: single blocks are 27 % falsely positive).
"""

from .relief import EXPECTED_MINUTES

# Relief about as long as the agent, or longer: what coverage policies accept.
DURATION_MET = ("consistent", "longer than expected")
CONCORDANT, DISCORDANT, PROLONGED_BOTH, NOT_ASSESSABLE = (
    "concordant",
    "discordant",
    "prolonged both",
    "not assessable",
)
SHORT_ACTING, LONG_ACTING = "short", "long"
SHORT_ACTING_UP_TO = 120  # minutes: an agent whose relief ends by then is short-acting
CONFIRMED = "confirmed by comparative blocks"
NOT_CONFIRMED = "not confirmed"
AWAITING = "awaiting a confirming block"


def acting(agent: str | None) -> str | None:
    """ "short" (lidocaine) or "long" (bupivacaine, levobupivacaine, ropivacaine), or None."""
    window = EXPECTED_MINUTES.get((agent or "").lower())
    if window is None:
        return None
    return SHORT_ACTING if window[1] <= SHORT_ACTING_UP_TO else LONG_ACTING


def concordance(
    first_agent: str | None,
    first_duration: str | None,
    second_agent: str | None,
    second_duration: str | None,
) -> str:
    """The pair's concordance (see the module's docstring), whichever block came first."""
    kinds = {acting(first_agent): first_duration, acting(second_agent): second_duration}
    if set(kinds) != {SHORT_ACTING, LONG_ACTING}:
        return NOT_ASSESSABLE
    short, long = kinds[SHORT_ACTING], kinds[LONG_ACTING]
    if short is None or long is None:
        return NOT_ASSESSABLE
    if short == "consistent" and long in DURATION_MET:
        return CONCORDANT
    if short == long == "longer than expected":
        return PROLONGED_BOTH
    return DISCORDANT


def series_result(comparative_status: str) -> str:
    """The series in words from the COMPARATIVE checklist's status: met confirms, unmet does
    not, incomplete awaits the confirming block."""
    return {"met": CONFIRMED, "unmet": NOT_CONFIRMED}.get(comparative_status, AWAITING)


def coding_hints(side: str, *, bilateral: bool, icd10: str) -> str:
    """Suggested codes, never a claim: CPT 27096 (Medicare facility: G0260) with laterality
    (RT, LT, or 50 for both sides in one session) and the clinic's ICD-10-CM code."""
    modifier = "50" if bilateral else {"left": "LT", "right": "RT"}.get(side, "")
    suffix = f"-{modifier}" if modifier else ""
    text = f"CPT 27096{suffix} (Medicare facility claims: G0260{suffix})"
    if icd10:
        text += f"; ICD-10-CM {icd10} (the clinic's code)"
    return text + ". Suggestions only: the coder decides."

"""Long text without a break point (CJK, "W" × 5,000, a 5,000-character URL) wraps in the
PDF: signed through the admin, archived, every character inside the page and extractable."""

import io

import pypdfium2
import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import signing
from assessments.models import SignOff
from assessments.models.limits import REASON_MAX
from tests.builders import pdf_pages

UNBROKEN = {
    "cjk": ("疼痛" * REASON_MAX)[:REASON_MAX],
    "w": "W" * REASON_MAX,
    "url": ("https://example.org/" + "a1b2" * REASON_MAX)[:REASON_MAX],
}
# Page furniture that interrupts a paragraph running over a page break.
FURNITURE = ("MRN ", "Page ", "Supports documentation")


def body_text(pdf: bytes) -> str:
    """The report's text without page headers and footers, whitespace removed."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    lines = [line for page in pages for line in page.extract_text().splitlines()]
    return "".join("".join(line.split()) for line in lines if not line.startswith(FURNITURE))


def characters_outside_the_page(pdf: bytes) -> list[tuple[int, int]]:
    """(page, character index) of every character drawn beyond the page's edges."""
    outside = []
    document = pypdfium2.PdfDocument(pdf)
    for number, page in enumerate(document, start=1):
        width, height = page.get_size()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if left < 0 or bottom < 0 or right > width or top > height:
                outside.append((number, index))
    return outside


def archived(signoff: SignOff) -> bytes:
    return signing.verified_archive(signoff.archived_report)


@pytest.mark.parametrize("kind", UNBROKEN)
def test_an_unbroken_override_reason_signs_through_the_admin_and_wraps(
    client, make_injection, clinician, kind
):
    injection = make_injection([(-5, 8), (25, 1)])
    client.force_login(clinician)
    url = reverse("admin:assessments_injection_sign", args=[injection.pk])

    response = client.post(url, {"outcome": "negative", "reason": UNBROKEN[kind]})

    assert response.status_code == 302
    pdf = archived(SignOff.objects.get(injection=injection))
    assert UNBROKEN[kind] in body_text(pdf)
    assert characters_outside_the_page(pdf) == []


@pytest.mark.parametrize("kind", UNBROKEN)
def test_unbroken_notes_sign_archive_and_wrap(make_injection, clinician, kind):
    injection = make_injection([(-5, 8), (25, 1)], notes=UNBROKEN[kind] * 2)

    pdf = archived(signing.sign_off(injection.pk, clinician))

    assert UNBROKEN[kind] * 2 in body_text(pdf)
    assert characters_outside_the_page(pdf) == []


@pytest.mark.parametrize("kind", UNBROKEN)
def test_an_unbroken_amendment_reason_prints_as_an_addendum_and_wraps(
    make_injection, clinician, kind
):
    injection = make_injection([(-5, 8), (25, 1)])
    signing.sign_off(injection.pk, clinician)
    signing.open_amendment(injection.pk, clinician, UNBROKEN[kind])

    pdf = archived(signing.sign_off(injection.pk, clinician))

    assert "Signed, version 2" in " ".join(pdf_pages(pdf))
    assert UNBROKEN[kind] in body_text(pdf)
    assert characters_outside_the_page(pdf) == []

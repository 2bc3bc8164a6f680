"""The result in force (models/result.py): one decision, shown the same everywhere."""

from datetime import timedelta
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import signing
from assessments.models import Injection
from assessments.reports import render_report
from assessments.rules import Outcome
from tests.builders import pdf_pages

CHANGELIST_URL = reverse("admin:assessments_injection_changelist")


@pytest.fixture
def clinician(make_role_user):
    return make_role_user("Clinician")


@pytest.fixture
def overridden(make_injection, clinician):
    """Computed positive (87.5 %), signed as indeterminate with a reason; performed today."""
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    assert injection.outcome == "positive"
    signing.sign_off(
        injection.pk, clinician, outcome="indeterminate", reason="Relief was not sustained."
    )
    injection.refresh_from_db()
    return injection


def first_outcome(html):
    start = html.index('data-outcome="') + len('data-outcome="')
    return html[start : html.index('"', start)]


def test_a_signed_override_is_the_first_outcome_on_the_injection_page(
    client, clinician, overridden
):
    client.force_login(clinician)
    html = client.get(reverse("assessments:injection_detail", args=[overridden.pk])).content
    html = html.decode()
    assert first_outcome(html) == "indeterminate"
    assert "overrides the computed Positive" in html or "override" in html
    computed = html.index("Computed:")
    assert 'data-outcome="positive"' not in html[:computed]


def test_an_overrides_reduction_is_labelled_as_the_computed_one(client, clinician, overridden):
    client.force_login(clinician)
    board = client.get(reverse("assessments:board")).content.decode()
    page = client.get(reverse("assessments:injection_detail", args=[overridden.pk]))

    for html in (board, page.content.decode()):
        assert 'computed-reduction">(computed: 87.5' in html
        assert '</span> <span class="text-nowrap">87.5' not in html


def test_a_signed_override_is_the_result_in_the_admin_list_and_its_filter(
    client, clinician, overridden
):
    client.force_login(clinician)
    listing = client.get(CHANGELIST_URL)
    [row] = listing.context["cl"].result_list
    assert row.result_in_force == "indeterminate"
    assert first_outcome(listing.content.decode()) == "indeterminate"
    indeterminate = client.get(CHANGELIST_URL, {"result": "indeterminate"}).context["cl"]
    positive = client.get(CHANGELIST_URL, {"result": "positive"}).context["cl"]
    assert [i.pk for i in indeterminate.result_list] == [overridden.pk]
    assert list(positive.result_list) == []


def test_a_signed_override_is_the_pdf_headline_on_page_one(overridden):
    first = pdf_pages(render_report(overridden))[0]
    headline = "Signed: Indeterminate: partial relief — clinician override of the computed Positive"
    assert headline in first
    assert first.index(headline) < first.index("Computed (LEAFLET@3, as signed)")
    assert "Reason for the override: Relief was not sustained." in first
    assert "Interpretation signed by" in first and "Signed, version 1" in first


def test_a_signed_override_leads_the_board_card(clinic_clock, client, clinician, overridden):
    client.force_login(clinician)
    html = client.get(reverse("assessments:board")).content.decode()
    card = html[html.index(f'id="injection-{overridden.pk}"') :]
    assert first_outcome(card) == "indeterminate"
    assert "signed, override" in card[: card.index("</article>")]


def test_the_signed_column_and_filter_make_a_sign_off_queue(
    client, clinician, overridden, make_injection
):
    draft = make_injection([(-5, 8), (25, 1)])
    client.force_login(clinician)
    unsigned = client.get(CHANGELIST_URL, {"signed": "no"}).context["cl"].result_list
    signed = client.get(CHANGELIST_URL, {"signed": "yes"}).context["cl"].result_list
    assert [i.pk for i in unsigned] == [draft.pk]
    assert [i.pk for i in signed] == [overridden.pk]


def test_pending_turns_non_diagnostic_as_time_passes_without_a_write(make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=5)
    stored = Injection.objects.get(pk=injection.pk)
    start = injection.performed_at
    during, after = start + timedelta(minutes=29), start + timedelta(minutes=31)

    assert stored.result(during).outcome is Outcome.PENDING
    assert stored.result(after).outcome is Outcome.NON_DIAGNOSTIC
    assert list(Injection.objects.result_is("pending", during)) == [stored]
    assert list(Injection.objects.result_is("non_diagnostic", during)) == []
    assert list(Injection.objects.result_is("pending", after)) == []
    assert list(Injection.objects.result_is("non_diagnostic", after)) == [stored]
    annotated = Injection.objects.with_result(after).get(pk=injection.pk)
    assert annotated.result_in_force == "non_diagnostic"
    # Nothing was written in between: the stored outcome is the closed-window one.
    assert Injection.objects.get(pk=injection.pk).updated_at == stored.updated_at
    assert stored.outcome == "non_diagnostic" and stored.awaits_window_reading


def test_a_result_in_the_window_is_provisional_until_it_closes(make_injection):
    injection = make_injection([(-5, 8), (22, 1)], minutes_ago=25)
    assert injection.result(injection.performed_at + timedelta(minutes=25)).provisional
    later = injection.result(injection.performed_at + timedelta(minutes=30))
    assert later.outcome is Outcome.POSITIVE and not later.provisional


STATES = list(product([False, True], ["positive", "non_diagnostic"], [5, 45], [False, True]))


@pytest.mark.parametrize("awaits, outcome, minutes_ago, signed", STATES)
def test_python_and_sql_decide_the_same_result(
    make_injection, clinician, awaits, outcome, minutes_ago, signed
):
    """`Injection.result` and the queryset's `with_result`/`result_is` never disagree."""
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    if signed:
        signing.sign_off(injection.pk, clinician, outcome="negative", reason="Reviewed.")
    else:
        performed_at = timezone.now() - timedelta(minutes=minutes_ago)
        Injection.objects.filter(pk=injection.pk).update(
            outcome=outcome, awaits_window_reading=awaits, performed_at=performed_at
        )
    now = timezone.now()
    stored = Injection.objects.with_result(now).get(pk=injection.pk)
    expected = stored.result(now).outcome.value
    assert stored.result_in_force == expected
    matching = [o.value for o in Outcome if Injection.objects.result_is(o, now).exists()]
    assert matching == [expected]
    if signed:
        assert expected == "negative"


def test_sign_off_waits_for_the_window_to_close(make_injection, clinician):
    injection = make_injection([(-5, 8), (22, 1)], minutes_ago=25)
    with pytest.raises(ValidationError, match="window is open until"):
        signing.sign_off(injection.pk, clinician)
    assert not Injection.objects.get(pk=injection.pk).is_locked

"""Find a patient from the bedside pages: MRN first, then name."""

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..access import staff_required
from ..models import Injection, Patient

LIMIT = 25


def search_patients(query: str) -> "QuerySet[Patient]":
    """Patients matching `query`: an exact MRN first, then MRNs starting with it, then names."""
    words = query.split()
    by_name = Q()
    for word in words:
        by_name &= Q(family_name__icontains=word) | Q(given_name__icontains=word)
    matches = Patient.objects.filter(Q(mrn__istartswith=query) | by_name).annotate(
        rank=Case(
            When(mrn__iexact=query, then=Value(0)),
            When(mrn__istartswith=query, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    injections = Injection.objects.order_by("-performed_at")
    return matches.order_by("rank", "family_name", "given_name", "mrn").prefetch_related(
        Prefetch("injections", queryset=injections)
    )[:LIMIT]


@staff_required
def patient_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    patients = list(search_patients(query)) if query else []
    now = timezone.now()
    rows = [
        (patient, [(injection, injection.result(now)) for injection in patient.injections.all()])
        for patient in patients
    ]
    return render(
        request,
        "assessments/patient_search.html",
        {"query": query, "rows": rows, "limit": LIMIT},
    )

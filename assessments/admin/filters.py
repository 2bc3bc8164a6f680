"""Changelist filters by the result in force and by sign-off."""

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .. import display, rules
from ..models.result import InjectionQuerySet


class ResultFilter(admin.SimpleListFilter):
    """By the result in force: the signed outcome when signed, else the computed one now."""

    title = "result"
    parameter_name = "result"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Any]"
    ) -> list[tuple[str, str]]:
        return [
            (outcome.value, display.outcome_label(outcome, short=True)) for outcome in rules.Outcome
        ]

    def queryset(self, request: HttpRequest, queryset: "QuerySet[Any]") -> "QuerySet[Any]":
        value = self.value()
        if value in {outcome.value for outcome in rules.Outcome}:
            # A filter of InjectionAdmin alone: its list is an InjectionQuerySet.
            return cast(InjectionQuerySet, queryset).result_is(value, timezone.now())
        return queryset


class SignedFilter(admin.SimpleListFilter):
    title = "sign-off"
    parameter_name = "signed"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Any]"
    ) -> list[tuple[str, str]]:
        return [("yes", "Signed"), ("no", "Not signed (sign-off queue)")]

    def queryset(self, request: HttpRequest, queryset: "QuerySet[Any]") -> "QuerySet[Any]":
        if self.value() in ("yes", "no"):
            return cast(InjectionQuerySet, queryset).signed(self.value() == "yes")
        return queryset


class CoverageFilter(admin.SimpleListFilter):
    """By the stored status of the clinic's coverage checklists (SI_COVERAGE_POLICIES)."""

    title = "coverage checklist"
    parameter_name = "coverage"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Any]"
    ) -> list[tuple[str, str]]:
        return [
            ("met", "Met"),
            ("incomplete", "Incomplete documentation"),
            ("unmet", "Unmet"),
            ("none", "Not yet checked"),
        ]

    def queryset(self, request: HttpRequest, queryset: "QuerySet[Any]") -> "QuerySet[Any]":
        if self.value() in ("met", "incomplete", "unmet"):
            return queryset.filter(coverage__status=self.value())
        if self.value() == "none":
            return queryset.filter(coverage__isnull=True)
        return queryset

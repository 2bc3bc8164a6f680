"""Bedside pages, one module per page family."""

from .board import today_board
from .injections import injection_detail, new_injection
from .readings import follow_up_week, quick_reading

__all__ = ["follow_up_week", "injection_detail", "new_injection", "quick_reading", "today_board"]

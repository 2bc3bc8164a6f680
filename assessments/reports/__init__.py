"""PDF reports of an injection, one package.

data.py gathers the facts (a fixed number of queries, every figure from rules.py);
document.py lays out the page; sections.py, chart.py, palette.py and fonts.py draw it;
bundle.py streams many into a zip; views.py serves one. The public entry point is
render_report(injection).
"""

from .document import render_report

__all__ = ["render_report"]

"""Data exports of injections and their readings: CSV (long and wide), REDCap and FHIR R4.

rows.py reads the injections in one planned pass and asks the rule and `decide` for every
result; one module per format writes them; service.py picks the format and logs the export.
"""

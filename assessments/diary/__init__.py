"""The patient's own week: the diary schedule, the diary link and its pages."""

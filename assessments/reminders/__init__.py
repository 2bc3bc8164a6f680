"""Diary reminders by email and text message, in the patient's language.

timing (pure: which slot to remind about now), messages (what is said), sms (the text
message backends), sending (plan, claim, send, record), views (the patient's opt-out page).
`manage.py send_reminders` runs a round, once or in a loop.
"""

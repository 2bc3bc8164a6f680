"""Text messages: a small backend interface, a console backend and Twilio's Messages API.

SMS_BACKEND picks one: "console" prints messages (development, `make run`), "twilio" sends
them (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM from the environment), empty sends
none. A backend returns the provider's reference for the send log, or raises SmsError with
the provider's answer (never the message).
"""

import base64
import json
import sys
from typing import Protocol, TextIO
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings


class SmsError(Exception):
    """The provider refused or could not be reached; the text says why."""


class SmsBackend(Protocol):
    def send(self, to: str, body: str) -> str:
        """Send `body` to `to` (E.164); the provider's reference for the message."""
        ...


class ConsoleSmsBackend:
    """Prints each message, as Django's console email backend does."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, to: str, body: str) -> str:
        self.stream.write(f"SMS to {to}:\n{body}\n{'-' * 72}\n")
        self.stream.flush()
        return "console"


class TwilioSmsBackend:
    """Twilio's Programmable Messaging: POST /2010-04-01/Accounts/{sid}/Messages.json with
    To, Body and From (a number) or MessagingServiceSid ("MG…"), HTTP basic auth with the
    account SID and auth token; 201 answers the message's SID ("SM…")."""

    def __init__(
        self, account_sid: str, auth_token: str, sender: str, api_url: str, timeout: float = 30
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout

    def request(self, to: str, body: str) -> Request:
        fields = {"To": to, "Body": body}
        fields["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        credentials = f"{self.account_sid}:{self.auth_token}".encode()
        return Request(  # noqa: S310 - TWILIO_API_URL, checked to be http(s) at start-up
            f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json",
            data=urlencode(fields).encode(),
            headers={
                "Authorization": "Basic " + base64.b64encode(credentials).decode(),
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            method="POST",
        )

    def send(self, to: str, body: str) -> str:
        try:
            # The URL is TWILIO_API_URL's, checked to be http(s) at start-up.
            with urlopen(self.request(to, body), timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except HTTPError as error:
            raise SmsError(f"Twilio answered {error.code}: {provider_message(error)}") from None
        except (URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"Twilio could not be reached: {reason}") from None
        return str(answer.get("sid", ""))


def provider_message(error: HTTPError) -> str:
    """Twilio's error as it explains it: "21211 Invalid 'To' Phone Number"."""
    try:
        answer = json.load(error)
    except (ValueError, OSError):
        return error.reason or "no explanation"
    return f"{answer.get('code', '')} {answer.get('message', '')}".strip()


def backend() -> SmsBackend | None:
    """The configured backend, or None when texts are switched off (SMS_BACKEND empty)."""
    if settings.SMS_BACKEND == "console":
        return ConsoleSmsBackend()
    if settings.SMS_BACKEND == "twilio":
        return TwilioSmsBackend(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.TWILIO_FROM,
            settings.TWILIO_API_URL,
        )
    return None

"""Text messages: the Twilio backend against a local HTTP server that answers as Twilio's
Messages API does (never the internet), and the console backend."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs

import pytest

from assessments.reminders import sms


class FakeTwilio(BaseHTTPRequestHandler):
    answer = (201, {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"})
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers["Content-Length"])
        FakeTwilio.received.append(
            (self.path, dict(self.headers), parse_qs(self.rfile.read(length).decode()))
        )
        status, body = FakeTwilio.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio():
    FakeTwilio.received = []
    FakeTwilio.answer = (201, {"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FakeTwilio, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def backend(url, sender="+15005550006"):
    return sms.TwilioSmsBackend("AC" + "1" * 32, "secret-token", sender, url, timeout=5)


def test_twilio_gets_the_number_the_text_and_the_account_credentials(twilio):
    fake, url = twilio
    reference = backend(url).send("+34612345678", "Clínica Sol: Hola, Lucía")
    assert reference == "SM0123456789abcdef0123456789abcdef"
    path, headers, form = fake.received[0]
    assert path == f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
    expected = base64.b64encode(f"AC{'1' * 32}:secret-token".encode()).decode()
    assert headers["Authorization"] == f"Basic {expected}"
    assert form == {
        "To": ["+34612345678"],
        "From": ["+15005550006"],
        "Body": ["Clínica Sol: Hola, Lucía"],
    }


def test_a_messaging_service_sends_in_place_of_a_number(twilio):
    fake, url = twilio
    backend(url, sender="MG" + "2" * 32).send("+34612345678", "hello")
    form = fake.received[0][2]
    assert form["MessagingServiceSid"] == ["MG" + "2" * 32] and "From" not in form


def test_twilio_refusing_says_its_code_and_reason(twilio):
    fake, url = twilio
    fake.answer = (400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400})
    with pytest.raises(sms.SmsError) as refused:
        backend(url).send("+34612345678", "the body is never in the error")
    assert str(refused.value) == "Twilio answered 400: 21211 Invalid 'To' Phone Number"


def test_an_unreachable_provider_is_an_sms_error():
    from tests.reminder_fixtures import free_port

    with pytest.raises(sms.SmsError, match="could not be reached"):
        backend(f"http://127.0.0.1:{free_port()}").send("+34612345678", "hello")


def test_the_console_backend_prints_the_message():
    out = StringIO()
    assert sms.ConsoleSmsBackend(out).send("+34612345678", "Hola") == "console"
    assert out.getvalue().startswith("SMS to +34612345678:\nHola\n")


@pytest.mark.parametrize(
    ("setting", "kind"),
    [("", type(None)), ("console", sms.ConsoleSmsBackend), ("twilio", sms.TwilioSmsBackend)],
)
def test_sms_backend_picks_the_backend(settings, setting, kind):
    settings.SMS_BACKEND = setting
    assert isinstance(sms.backend(), kind)

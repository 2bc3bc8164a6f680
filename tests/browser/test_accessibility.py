"""axe-core over every page a person uses, at 1366×900 and on a 390×844 phone, as each role,
as the patient and signed out. Any serious or critical violation fails; the counts by rule
(runs / elements, every impact) are printed at the end of the module (`pytest -s` or `-rA`).

axe-core is vendored (tests/browser/vendor/axe-core, MPL-2.0) and added to each page as an
init script, so no CDN and no change to the site's Content-Security-Policy.
"""

from collections import Counter
from pathlib import Path
from pprint import pformat

import pytest
from playwright.sync_api import expect

from assessments.models import DiaryLink
from tests.browser.pages import DESKTOP, PHONE, REFUSED, log_in, pages_for

pytestmark = pytest.mark.usefixtures("transactional_db")

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
RUN_AXE = """() => axe.run(document, {resultTypes: ['violations']}).then(result =>
  result.violations.map(v => ({
    rule: v.id,
    impact: v.impact,
    targets: v.nodes.map(n => {
      const data = (n.any[0] && n.any[0].data) || {};
      const colours = ` ${data.fgColor} on ${data.bgColor} ${data.contrastRatio}:1`;
      const ratio = data.contrastRatio ? colours : '';
      return n.target.join(' ') + ratio;
    }),
  })))"""

# rule -> [pages it fired on, elements]; filled by every test of the module, printed last.
TALLY: dict[str, Counter[str]] = {}


@pytest.fixture(scope="module", autouse=True)
def print_the_tally(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    version = AXE.parent.joinpath("VERSION").read_text().split()[1]
    lines = [f"axe-core {version}, by rule (impact): runs / elements"]
    lines += [
        f"  {rule} ({counts['impact']}): {counts['runs']} / {counts['elements']}"
        f"  e.g. {counts['example']}"
        for rule, counts in sorted(TALLY.items())
    ] or ["  no violation"]
    if reporter:
        reporter.write_line("\n" + "\n".join(lines))


def accessibility_page(page_for, size):
    page = page_for(*SIZES[size], mobile=size == "phone")
    page.context.add_init_script(path=str(AXE))
    return page


def violations(page, name):
    """axe's violations on the page open now: tallied, and the blocking ones returned."""
    found = page.evaluate(RUN_AXE)
    for violation in found:
        counts = TALLY.setdefault(violation["rule"], Counter())
        counts["runs"] += 1
        counts["elements"] += len(violation["targets"])
        counts["impact"] = violation["impact"]  # type: ignore[assignment]
        counts.setdefault("example", f"{name}: {violation['targets'][0]}")  # type: ignore[arg-type]
    return [
        (name, v["rule"], v["impact"], v["targets"][:4]) for v in found if v["impact"] in BLOCKING
    ]


def audit(page, live_server, pages, role=None):
    blocking = []
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        expected = 404 if name == "not-found" else 403 if (role, name) in REFUSED else 200
        assert response.status == expected, (name, response.status)
        blocking += violations(page, name)
    return blocking


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["nurse", "clinician", "auditor", "administrator"])
def test_no_serious_or_critical_violation_on_any_page_as_each_role(
    page_for, live_server, clinic, role, size
):
    users, diarised, signed, due = clinic
    pages = pages_for(role, diarised, signed, due)
    if role == "clinician":  # The other pages the tool adds, bedside and admin.
        first = diarised.readings.order_by("recorded_at").first()
        admin = "/admin/assessments"
        pages |= {
            "sign-off": f"/injections/{diarised.pk}/sign/",
            "baseline": f"/injections/{diarised.pk}/baseline/",
            "correct": f"/injections/{diarised.pk}/readings/{first.pk}/correct/",
            "admin-sign-off": f"{admin}/injection/{diarised.pk}/sign/",
            "admin-amend": f"{admin}/injection/{signed.pk}/amend/",
            "admin-patient": f"{admin}/patient/{diarised.patient_id}/change/",
            "two-factor": "/account/two-factor/",
        }
    page = accessibility_page(page_for, size)
    log_in(page, live_server, users[role])

    blocking = audit(page, live_server, pages, role)
    if "new-injection" in pages:  # The form with its error summary, too.
        page.goto(f"{live_server.url}/injections/new/")
        page.get_by_role("button", name="Register injection").click()
        expect(page.locator("[data-error-summary]")).to_be_focused()
        blocking += violations(page, "new-injection-errors")

    assert not blocking, pformat(blocking, width=100)


@pytest.mark.parametrize("size", SIZES)
def test_no_serious_or_critical_violation_for_the_patient_or_signed_out(
    page_for, live_server, clinic, size
):
    _, diarised, _, _ = clinic
    link = DiaryLink.issue(diarised)
    page = accessibility_page(page_for, size)
    blocking = audit(page, live_server, {"diary": link.get_absolute_url()})
    page.locator("main form [type=submit]").first.click()  # Nothing chosen: the errors show.
    blocking += violations(page, "diary-after-save")

    blocking += audit(page, live_server, {"login": "/admin/login/"})
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert not blocking, pformat(blocking, width=100)

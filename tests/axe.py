"""axe-core in the Playwright tests: inject it into a page, run it, keep what blocks people.

axe-core is vendored as a test asset (tests/assets/axe-core-4.14.1/, from the npm registry; the
portal never serves it). The pages' Content-Security-Policy allows only the site's own scripts,
so the browser context that runs axe is opened with ``bypass_csp=True``; the page itself is
unchanged.
"""

from dataclasses import dataclass
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).parent / "assets" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING = ("critical", "serious")


@dataclass(frozen=True)
class Violation:
    page: str  # the address of the page, as the test named it
    rule: str  # axe's rule id, e.g. "color-contrast"
    impact: str  # "critical", "serious", "moderate" or "minor"
    help: str
    targets: tuple[str, ...]  # a CSS selector of each failing element
    summary: str  # axe's explanation for the first element (e.g. the contrast measured)

    def __str__(self):
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return (
            f"{self.page}: [{self.impact}] {self.rule} — {self.help} "
            f"({len(self.targets)}×: {shown}) {self.summary}"
        )


def run_axe(page, *, label, impacts=BLOCKING, also=(), disable=()):
    """The violations of the given impacts on the page as it is now, one per rule, and those of
    the rules ``also`` names whatever their impact.

    ``disable`` lists rule ids not to run; a test that passes one says why next to it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": False} for rule in disable},
    }
    result = page.evaluate("(options) => window.axe.run(document, options)", options)
    found = []
    for rule in result["violations"]:
        if rule["impact"] not in impacts and rule["id"] not in also:
            continue
        nodes = rule["nodes"]
        found.append(
            Violation(
                page=label,
                rule=rule["id"],
                impact=rule["impact"],
                help=rule["help"],
                targets=tuple(" ".join(map(str, node["target"])) for node in nodes),
                summary=" ".join((nodes[0].get("failureSummary") or "").split())[:300],
            )
        )
    return found


def describe(violations):
    """A failure message: one line per page and rule, with the failing elements."""
    return f"{len(violations)} accessibility violation(s) (axe-core {AXE_VERSION}):\n" + "\n".join(
        str(v) for v in violations
    )

"""Every GitHub Action the workflows use is pinned to a full commit hash with its version as a comment (a tag can be
moved to other code; Dependabot's github-actions updates keep the hash and the comment current)."""

import re
from pathlib import Path

WORKFLOWS = sorted((Path(__file__).resolve().parent.parent / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"[\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40}")


def test_actions_are_pinned_to_commits():
    uses = [(wf.name, m.group(1), m.group(2).strip())
            for wf in WORKFLOWS for line in wf.read_text(encoding="utf-8").splitlines() if (m := USES.match(line))]
    assert uses, "no `uses:` lines found: the pattern no longer matches the workflows"
    bad = [f"{name}: {action}" for name, action, _ in uses if not PINNED.fullmatch(action)]
    assert not bad, f"pin these to a commit hash (see action-shas): {bad}"
    uncommented = [f"{name}: {action}" for name, action, comment in uses if not re.fullmatch(r"# v\d+(\.\d+)*", comment)]
    assert not uncommented, f"add the version as a comment (`# v7.0.1`): {uncommented}"

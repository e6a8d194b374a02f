#!/usr/bin/env python3
"""Audit the installed dependencies with pip-audit.

Fails when a dependency has a known vulnerability with a fixed version available. When the
vulnerability service cannot be reached (or cannot see the packages, e.g. behind a mirror without
PyPI's JSON API), prints a clear warning and does not fail: nothing could be checked.
"""

import json
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    cmd = [str(BIN / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"WARNING: pip-audit could not run ({exc}); dependencies NOT audited.")
        return 0
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"WARNING: vulnerability service unreachable ({last}); dependencies NOT audited.")
        return 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    fixable = [
        (d["name"], d["version"], v["id"], ",".join(v.get("fix_versions") or []))
        for d in audited
        for v in d.get("vulns", [])
        if v.get("fix_versions")
    ]
    unfixed = sum(1 for d in audited for v in d.get("vulns", []) if not v.get("fix_versions"))
    if not audited:
        print(
            f"WARNING: pip-audit could not look up any of the {len(deps)} installed packages "
            "(the vulnerability service is not reachable from here); dependencies NOT audited."
        )
        return 0
    print(f"pip-audit: {len(audited)} of {len(deps)} packages audited.")
    if unfixed:
        print(f"note: {unfixed} known vulnerabilities without a fixed version yet.")
    for name, version, vid, fix in fixable:
        print(f"VULNERABLE: {name} {version}: {vid} (fixed in {fix})")
    return 1 if fixable else 0


if __name__ == "__main__":
    sys.exit(main())

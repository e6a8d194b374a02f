"""The CI audit step fails on fixable vulnerabilities and only warns when nothing can be checked."""

import importlib.util
import json
import subprocess

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def _fake(monkeypatch, report):
    def run(cmd, **kw):
        return subprocess.CompletedProcess(cmd, 1, stdout=json.dumps(report), stderr="")

    monkeypatch.setattr(audit.subprocess, "run", run)


def test_fixable_vulnerability_fails(monkeypatch, capsys):
    _fake(
        monkeypatch,
        {
            "dependencies": [
                {
                    "name": "flask",
                    "version": "0.1",
                    "vulns": [{"id": "X-1", "fix_versions": ["3.1"]}],
                },
                {"name": "ok", "version": "1", "vulns": []},
            ]
        },
    )
    assert audit.main() == 1
    assert "VULNERABLE: flask 0.1: X-1 (fixed in 3.1)" in capsys.readouterr().out


def test_unfixed_vulnerability_is_reported_but_passes(monkeypatch, capsys):
    _fake(
        monkeypatch,
        {
            "dependencies": [
                {"name": "a", "version": "1", "vulns": [{"id": "Y", "fix_versions": []}]}
            ]
        },
    )
    assert audit.main() == 0
    assert "without a fixed version" in capsys.readouterr().out


def test_unreachable_service_warns(monkeypatch, capsys):
    _fake(
        monkeypatch,
        {"dependencies": [{"name": "a", "version": "1", "skip_reason": "Dependency not found"}]},
    )
    assert audit.main() == 0
    assert "NOT audited" in capsys.readouterr().out

"""`flask demo` is idempotent and refuses to build on a half-finished earlier load."""

import stat
from pathlib import Path

from consult.demo import cli as demo_cli
from consult.demo import foundation


def test_demo_loads_once_and_keeps_credentials_private(app, runner, monkeypatch):
    monkeypatch.setattr(demo_cli, "FEATURE_STEPS", [])  # the features have their own demo tests
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.consult" in first.output
    creds = Path(app.instance_path) / "demo-credentials.txt"
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    assert creds.read_text() in second.output  # same passwords, not regenerated


def test_demo_refuses_a_half_finished_load(app, runner):
    foundation.load_foundation()  # as if a feature step had then failed
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "stopped half-way" in result.output

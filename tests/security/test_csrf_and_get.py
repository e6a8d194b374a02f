"""CSRF on every state-changing route, and no state change on GET (generated from the URL map)."""

from sqlalchemy import func, select

from consult import create_app
from consult.extensions import db
from tests.conftest import csrf_token_from
from tests.security.urls import fill, methods_of, probe_rules

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Reading confidential testimony is itself recorded: the audit log may grow on GET.
GROWS_ON_GET = {"audit_event"}


def _csrf_twin(world):
    """The same database and instance, served by an app with CSRF switched on."""
    cfg = dict(world.app.config)
    cfg.update(
        {
            "WTF_CSRF_ENABLED": True,
            "INSTANCE_PATH": world.app.instance_path,
            "SQLALCHEMY_DATABASE_URI": world.app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    keep = {
        "TESTING",
        "SECRET_KEY",
        "INSTANCE_PATH",
        "SQLALCHEMY_DATABASE_URI",
        "WTF_CSRF_ENABLED",
        "RATELIMIT_ENABLED",
        "ARGON2_CHEAP",
        "JOBS_INLINE_SYNC",
    }
    return create_app({k: v for k, v in cfg.items() if k in keep})


def _signed_in(app, email, password):
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    resp = client.post(
        "/auth/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert resp.status_code == 302
    return client


def _counts() -> dict[str, int]:
    return {
        name: db.session.scalar(select(func.count()).select_from(table))
        for name, table in db.metadata.tables.items()
    }


def test_every_write_refuses_a_missing_or_foreign_csrf_token(world):
    twin = _csrf_twin(world)
    with twin.app_context():
        admin = _signed_in(twin, world.email("admin"), world.passwords["admin"])
        other = twin.test_client()
        foreign = csrf_token_from(other.get("/auth/login").get_data(as_text=True))
        before = _counts()
        problems, probed = [], 0
        for rule in probe_rules(twin):
            url = fill(rule)
            for method in methods_of(rule):
                if method not in WRITES or url is None:
                    continue
                probed += 1
                no_token = admin.open(url, method=method, data={"x": "1"})
                with_foreign = admin.open(url, method=method, data={"csrf_token": foreign})
                for label, resp in (("no token", no_token), ("foreign token", with_foreign)):
                    if rule.rule.startswith("/api/"):
                        ok = resp.status_code in (400, 401, 403)  # a browser session is not enough
                    else:
                        ok = resp.status_code == 400
                    if not ok:
                        problems.append(f"{method} {url} with {label}: {resp.status_code}")
        db.session.remove()
        after = _counts()
        db.session.remove()
        db.engine.dispose()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    changed.pop("audit_event", None)  # refused requests are not audited, but logins are
    print(f"\nCSRF sweep: {probed} state-changing routes refused without a valid token")
    assert probed > 10
    assert problems == [], "\n".join(problems)
    assert changed == {}


def test_get_changes_nothing(world):
    """GET every page as staff and as admin: no table (but the audit log) changes its row count."""
    before = _counts()
    problems = []
    for role in ("staff", "admin"):
        client = world.client(role)
        for rule in probe_rules(world.app):
            if "GET" in rule.methods:
                try:
                    status = client.get(fill(rule)).status_code
                except Exception as exc:  # noqa: BLE001 - a 500 in production
                    status = repr(exc)
                if not isinstance(status, int) or status >= 500:
                    problems.append(f"GET {fill(rule)} as {role}: {status}")
    db.session.remove()
    after = _counts()
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    for table in GROWS_ON_GET:
        changed.pop(table, None)
    assert problems == []
    assert changed == {}

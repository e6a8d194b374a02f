"""Access-control sweep generated from app.url_map: new routes are covered automatically.

For every URL rule, filled with ids of objects that are not the prober's, and for anonymous
users, another organization's respondent, the demo respondent, a facilitator, staff and admins:
- never a server error;
- a view guarded by `permission_required(p)` refuses every role without `p` (403/404), and
  anonymous users are sent to sign in (or get 401/404);
- anonymous users get no 200 from any page that is not on the public list below;
- pages never show staff-only notes or confidential testimony to anyone but staff and admins,
  and never show other people's e-mail addresses to anonymous users or other organizations;
- state-changing methods are refused for anyone without the permission;
- the JSON API, with another organization's read token, shows no confidential text either.
"""

import pytest

from tests.security.urls import fill, methods_of, probe_rules

# Pages anyone may open (anything else must refuse anonymous users). Keep it short and explicit.
PUBLIC_ENDPOINTS = {
    "main.home",
    "main.healthz",
    "main.favicon",
    "main.set_language",
    "auth.login",
    "auth.request_reset",
    "auth.accept_invitation",
    "auth.reset_password",
    "api.reference",
    "api-docs.openapi_json",
    # hearings: public list, sign-up and public record
    "hearings.index",
    "hearings.show",
    "hearings.public_record",
    "hearings.thanks",
}
PUBLIC_PREFIXES = ("/api/v1/",)  # the API answers anonymous GETs with public data only
LOW_ROLES = ("outsider", "respondent", "facilitator")
REFUSED = {401, 403, 404, 405}

COVERED: dict[str, int] = {}


def _login_redirect(resp) -> bool:
    return resp.status_code in (302, 303) and "/auth/login" in resp.headers.get("Location", "")


def _is_public(rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS or rule.rule.startswith(PUBLIC_PREFIXES)


def _leaks(body: str, role, world) -> list[str]:
    found = [s for s in world.secrets_ if s in body]
    if role in (None, "outsider", "respondent"):
        own = world.email(role) if role else None
        found += [e for e in world.other_emails if e in body and e != own]
    return found


class _Raised:
    """Stands for the response when the view raised (a 500 in production)."""

    def __init__(self, exc):
        self.status_code = 500
        self.exc = exc
        self.headers = {}


def _call(client, method, url, headers=None):
    try:
        return client.open(url, method=method, headers=headers or {}, data={})
    except Exception as exc:  # noqa: BLE001 - reported as a server error with the route
        return _Raised(exc)


@pytest.mark.parametrize("role", [None, *LOW_ROLES, "staff", "admin"])
def test_access_control_sweep(world, role):
    app = world.app
    client = world.client(role)
    user = world.user(role) if role else None
    avoid = world.outsider_org_id if role == "outsider" else None
    problems, probed = [], 0
    for rule in probe_rules(app):
        url = fill(rule, avoid_org_id=avoid)
        if url is None:
            problems.append(f"{rule.rule}: cannot fill its arguments; add them to urls.py")
            continue
        view = app.view_functions[rule.endpoint]
        needed = getattr(view, "required_permission", None)
        allowed = user is not None and (needed is None or user.can(needed))
        for method in methods_of(rule):
            if method != "GET" and (allowed or (role is None and _is_public(rule))):
                continue  # only refused writes are sent: the world must stay as it is
            probed += 1
            resp = _call(client, method, url)
            where = f"{method} {url} ({rule.endpoint}) as {role or 'anonymous'}"
            if resp.status_code >= 500:
                problems.append(f"{where}: server error {getattr(resp, 'exc', '')!r}")
                continue
            if needed and not allowed:
                ok = resp.status_code in REFUSED or (role is None and _login_redirect(resp))
                if not ok:
                    problems.append(f"{where}: needs {needed!r} but got {resp.status_code}")
            elif role is None and not _is_public(rule):
                if not (resp.status_code in REFUSED or _login_redirect(resp)):
                    problems.append(f"{where}: not public but got {resp.status_code}")
            elif (
                method != "GET"
                and role is not None
                and not allowed
                and resp.status_code < 400
                and not _login_redirect(resp)
            ):
                problems.append(f"{where}: write not refused ({resp.status_code})")
            if role not in ("staff", "admin") and resp.status_code == 200:
                leaks = _leaks(resp.get_data().decode("utf-8", "replace"), role, world)
                if leaks:
                    problems.append(f"{where}: shows {leaks[:2]}")
    COVERED[role or "anonymous"] = probed
    assert probed > 40
    assert problems == [], "\n".join(problems)


def test_api_with_another_organizations_token(world):
    if world.outsider_api_token is None:
        pytest.skip("the API has not landed")
    client = world.app.test_client()
    headers = {"Authorization": f"Bearer {world.outsider_api_token}"}
    problems, probed = [], 0
    for rule in probe_rules(world.app):
        if not rule.rule.startswith("/api/"):
            continue
        url = fill(rule, avoid_org_id=world.outsider_org_id)
        for method in methods_of(rule):
            probed += 1
            resp = _call(client, method, url, headers)
            where = f"{method} {url} with the outsider's read token"
            if resp.status_code >= 500:
                problems.append(f"{where}: server error")
            elif method != "GET" and resp.status_code < 400:
                problems.append(f"{where}: a read token wrote ({resp.status_code})")
            elif resp.status_code == 200:
                leaks = _leaks(resp.get_data().decode("utf-8", "replace"), "outsider", world)
                if leaks:
                    problems.append(f"{where}: shows {leaks[:2]}")
    assert probed > 3
    assert problems == [], "\n".join(problems)


def test_sweep_covers_every_rule(world):
    """Every rule of the app is probed (report the figure)."""
    rules = probe_rules(world.app)
    unfilled = [r.rule for r in rules if fill(r) is None]
    assert unfilled == []
    print(f"\naccess-control sweep: {len(rules)} URL rules x 6 roles")


def test_missing_objects_are_not_found(world):
    """Every route with an id answers a missing object with 404 (or a redirect), never a 500."""
    from werkzeug.routing import IntegerConverter

    client = world.client("admin")
    problems, probed = [], 0
    for rule in probe_rules(world.app):
        ints = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)]
        if not ints or "GET" not in rule.methods:
            continue
        url = fill(rule, overrides={a: 987654 for a in ints})
        probed += 1
        resp = _call(client, "GET", url)
        if resp.status_code >= 500:
            problems.append(
                f"GET {url} ({rule.endpoint}): {getattr(resp, 'exc', resp.status_code)!r}"
            )
    assert probed > 10
    assert problems == [], "\n".join(problems)

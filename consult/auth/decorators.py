"""Small access decorators for views."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def permission_required(permission: str):
    """Require a signed-in user whose role grants `can_<permission>()`; else 403."""

    def deco(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        # read by the access-control sweep (tests/security) to know who must be refused
        wrapped.required_permission = permission
        return wrapped

    return deco


staff_required = permission_required("manage_consultations")
admin_required = permission_required("administer")

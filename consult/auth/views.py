"""Login, logout, invitations, password reset and the account page."""

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from consult.auth import bp
from consult.auth.decorators import permission_required
from consult.auth.forms import (
    ChangePasswordForm,
    InviteForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
)
from consult.auth.models import User
from consult.auth.roles import Role
from consult.auth.services import (
    AccountError,
    authenticate,
    change_password,
    find_token,
    invite_user,
    logout_everywhere,
    request_password_reset,
    set_password_with_token,
)
from consult.extensions import db, limiter
from consult.orgs.models import Organization
from consult.security import is_safe_next


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _email_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def start_session(user: User) -> None:
    """Rotate the session at login: drop everything from before, then sign in."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["login_at"] = datetime.now(UTC).timestamp()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_email_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            form.email.data, form.password.data, ip=request.remote_addr, totp_code=form.totp.data
        )
        if user is None:
            form.password.errors.append(_("The e-mail address or password is not right."))
        else:
            start_session(user)
            target = request.args.get("next")
            return redirect(target if is_safe_next(target) else url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_everywhere(current_user, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def accept_invitation(token):
    return _set_password_page(token, "invite")


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_FORM_RATE_LIMIT"], methods=["POST"])
def reset_password(token):
    return _set_password_page(token, "reset")


def _set_password_page(token: str, purpose: str):
    try:
        user = find_token(token, purpose).user
    except AccountError as exc:
        return render_template("auth/link_invalid.html", message=str(exc)), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = set_password_with_token(token, purpose, form.password.data)
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            start_session(user)
            flash(_("Your password is set and you are signed in."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        flash(
            _(
                "If an account uses that address, we have sent it a link to reset the password. "
                "The link works for two hours."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            start_session(current_user)
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/invite", methods=["GET", "POST"])
@permission_required("invite")
def invite():
    form = InviteForm()
    orgs = db.session.execute(
        select(Organization.id, Organization.name).order_by(Organization.name)
    ).all()
    form.organization_id.choices = [(0, "— none —")] + [(o.id, o.name) for o in orgs]
    if request.method == "GET" and request.args.get("organization", type=int):
        form.organization_id.data = request.args.get("organization", type=int)
    if form.validate_on_submit():
        role = Role(form.role.data)
        org_id = form.organization_id.data or None
        if role is Role.RESPONDENT and not org_id:
            form.organization_id.errors.append(
                "Choose the organization the respondent answers for."
            )
        else:
            try:
                user, _link = invite_user(
                    email=form.email.data,
                    name=form.name.data,
                    role=role,
                    organization_id=org_id,
                    actor=current_user,
                )
            except AccountError as exc:
                form.email.errors.append(str(exc))
            else:
                flash(f"Invitation sent to {user.email}.", "success")
                return redirect(url_for("auth.users"))
    return render_template("auth/invite.html", form=form)


@bp.route("/users")
@permission_required("invite")
def users():
    q = (request.args.get("q") or "").strip()
    stmt = select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(db.func.lower(User.name).like(like) | User.email.like(like))
    page = db.paginate(stmt, per_page=25, error_out=False)
    return render_template("auth/users.html", page=page, q=q)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@permission_required("administer")
def deactivate(user_id):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400)
    from consult.audit import record
    from consult.auth.models import new_session_nonce

    user.active = False
    user.session_nonce = new_session_nonce()
    record("user.deactivate", actor_id=current_user.id, object_type="user", object_id=user.id)
    db.session.commit()
    flash(f"{user.email} can no longer sign in.", "success")
    return redirect(url_for("auth.users"))

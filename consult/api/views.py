"""Token pages on the account (session + CSRF) and the HTML API reference."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from consult.api import bp
from consult.api.forms import TokenForm
from consult.api.reference import reference_context
from consult.api.tokens import TokenError, create_token, revoke_token, tokens_of


def _no_store(html: str, status: int = 200):
    resp = current_app.make_response((html, status))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/auth/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, secret = create_token(
                user_id=current_user.id,
                name=form.name.data,
                scope=form.scope.data,
                expires_in_days=int(form.expires_in_days.data),
            )
        except TokenError as exc:
            form.name.errors.append(str(exc))
        else:
            # shown once, never stored: render it now rather than redirect through the session
            return _no_store(render_template("api/token_created.html", token=token, secret=secret))
    return render_template("api/tokens.html", form=form, tokens=tokens_of(current_user.id))


@bp.route("/auth/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id):
    try:
        token = revoke_token(token_id=token_id, user_id=current_user.id)
    except TokenError as exc:
        flash(str(exc), "error")
    else:
        flash(f"The token {token.name} ({token.prefix}…) is revoked.", "success")
    return redirect(url_for("api.tokens"))


@bp.route("/api/v1/reference")
def reference():
    return render_template("api/reference.html", **reference_context())

"""The two-factor page: enrol with a secret shown as text, or turn two-factor off."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consult.auth import bp, totp
from consult.auth.forms import TotpDisableForm, TotpEnableForm

PENDING = "totp_pending"


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    if current_user.totp_secret:
        form = TotpDisableForm()
        if form.validate_on_submit():
            try:
                totp.disable(current_user, form.password.data, form.code.data)
            except totp.TotpError as exc:
                form.code.errors.append(str(exc))
            else:
                flash(_("Two-factor authentication is off."), "success")
                return redirect(url_for("auth.account"))
        return render_template("auth/two_factor.html", form=form, enabled=True)
    secret = session.get(PENDING) or totp.new_secret()
    session[PENDING] = secret
    form = TotpEnableForm()
    if form.validate_on_submit():
        try:
            totp.enable(current_user, secret, form.code.data)
        except totp.TotpError as exc:
            form.code.errors.append(str(exc))
        else:
            session.pop(PENDING, None)
            flash(
                _("Two-factor authentication is on. You need a code at every sign-in."), "success"
            )
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/two_factor.html",
        form=form,
        enabled=False,
        secret=secret,
        uri=totp.provisioning_uri(current_user, secret),
    )

"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    totp = StringField(
        _l("Two-factor code"),
        validators=[Optional(), Length(max=10)],
        description=_l("Only if you have turned on two-factor authentication."),
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password.")), Length(max=256)],
        description=_l(
            "At least 12 characters. A short sentence is easy to remember and hard to guess."
        ),
    )
    confirm = PasswordField(
        _l("Confirm the password"),
        validators=[
            DataRequired(_l("Enter the password again.")),
            EqualTo("password", _l("The two passwords do not match.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter an e-mail address like name@example.org.")),
            Length(max=254),
        ],
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "E-mail address",
        validators=[
            DataRequired("Enter the person's e-mail address."),
            Email("Enter an e-mail address like name@example.org."),
            Length(max=254),
        ],
    )
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=200)]
    )
    role = SelectField(
        "Role",
        choices=[
            ("respondent", "Respondent (answers surveys for an organization)"),
            ("facilitator", "Facilitator (runs hearings)"),
            ("staff", "Staff (builds surveys, codes, reports)"),
            ("admin", "Administrator"),
        ],
    )
    organization_id = SelectField(
        "Organization", coerce=int, validators=[Optional()], description="Required for respondents."
    )


class MembershipForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[
            ("respondent", "Respondent (answers for an organization)"),
            ("facilitator", "Facilitator (runs hearings)"),
            ("staff", "Staff (builds surveys, codes, reports)"),
            ("admin", "Administrator"),
        ],
    )
    organization_id = SelectField(
        "Organization", coerce=int, validators=[Optional()], description="Required for respondents."
    )


class TotpEnableForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(_l("Enter the 6-digit code from your app.")), Length(max=10)],
        description=_l("Six digits; it changes every 30 seconds."),
    )


class TotpDisableForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired(_l("Enter the 6-digit code from your app.")), Length(max=10)],
    )

"""The form that creates a personal API token."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from consult.api.models import TokenScope
from consult.api.tokens import EXPIRY_CHOICES


class TokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        validators=[
            DataRequired(_l("Enter a name that says what the token is for.")),
            Length(max=100, message=_l("The name can be up to 100 characters.")),
        ],
        description=_l("For example: the spreadsheet that pulls coded passages."),
    )
    scope = RadioField(
        _l("What the token may do"),
        choices=[
            (TokenScope.READ.value, _l("Read only")),
            (
                TokenScope.READ_WRITE.value,
                _l("Read and write (submit responses, code, start reports)"),
            ),
        ],
        default=TokenScope.READ.value,
        validators=[DataRequired(_l("Choose what the token may do."))],
        description=_l("It can never do more than your own role allows."),
    )
    expires_in_days = RadioField(
        _l("Expires after"),
        choices=[(str(d), _l("%(n)s days", n=d)) for d in EXPIRY_CHOICES],
        default="90",
        validators=[DataRequired(_l("Choose when the token expires."))],
    )

"""Organization forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from consult.orgs.models import KIND_LABELS


class OrganizationForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter the organization's name."), Length(max=200)]
    )
    kind = SelectField("Kind", choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    region = StringField(
        "Region",
        validators=[Optional(), Length(max=100)],
        description="For example: North, Capital, Coastal.",
    )
    contact_name = StringField("Contact person", validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        "Contact e-mail",
        validators=[
            Optional(),
            Email("Enter an e-mail address like name@example.org."),
            Length(max=254),
        ],
    )
    contact_phone = StringField("Contact phone", validators=[Optional(), Length(max=50)])
    listed_publicly = BooleanField("Agrees to be listed as a participant in published reports")
    notes = TextAreaField("Notes (staff only)", validators=[Optional(), Length(max=5000)])

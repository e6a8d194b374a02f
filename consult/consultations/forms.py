"""Consultation forms."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.consultations.models import Stage


class ConsultationForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    slug = StringField(
        "Short name",
        validators=[DataRequired("Enter a short name."), Length(max=80)],
        description="Used in addresses and commands, e.g. 2026-stakeholder-consultation.",
    )
    body = StringField("Governmental body", validators=[Optional(), Length(max=200)])
    purpose = TextAreaField("Purpose", validators=[Optional(), Length(max=5000)])
    stage = SelectField("Stage", choices=[(s.value, s.label) for s in Stage])
    opens_on = DateField("Opens on", validators=[Optional()])
    closes_on = DateField("Closes on", validators=[Optional()])
    retention_until = DateField(
        "Keep personal data until",
        validators=[Optional()],
        description="After this date responses, testimony and files are deleted.",
    )
    languages = SelectMultipleField(
        "Languages",
        choices=[("en", "English"), ("es", "Spanish")],
        default=["en"],
        description="The first chosen is the default.",
    )
    wave_of_id = SelectField("Wave of an earlier consultation", coerce=int, validators=[Optional()])
    executive_summary = TextAreaField(
        "Executive summary (for the report)", validators=[Optional(), Length(max=20000)]
    )

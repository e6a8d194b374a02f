"""Forms: public sign-up, hearing set-up, walk-ins, notes, moderation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import EmailField, TelField
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from consult.hearings.models import HearingStatus, OrderRule
from consult.orgs.models import KIND_LABELS

POSITION_CHOICES = [
    ("support", _l("Support")),
    ("oppose", _l("Oppose")),
    ("neutral", _l("Neutral")),
    ("information", _l("For information only")),
]
MODE_CHOICES = [
    ("in_person", _l("Speak in person")),
    ("remote", _l("Speak remotely (video or phone)")),
    ("written", _l("Written testimony only")),
]
CONFIDENTIALITY_CHOICES = [
    ("public", _l("Public")),
    ("name_withheld", _l("Name withheld from the public record")),
    ("confidential", _l("Confidential (task force staff only)")),
]
CONFIDENTIALITY_HELP = {
    "public": _l(
        "Your name, organization and testimony can appear in the public record and in "
        "reports, after staff have checked it."
    ),
    "name_withheld": _l(
        "Your testimony can be published, but as \u201cSpeaker 12, name withheld\u201d: your "
        "name and organization are not published. Staff still see your name."
    ),
    "confidential": _l(
        "Only task force staff read your testimony. It is never published and never appears "
        "in public reports. Every time staff open it, this is recorded. If you speak in person "
        "at a public hearing, people in the room will hear you."
    ),
}


def kind_choices(individual_label):
    return [("", individual_label)] + [(k.value, label) for k, label in KIND_LABELS.items()]


class SignupForm(FlaskForm):
    """Public sign-up to speak and/or send written testimony."""

    key = HiddenField()
    website = StringField(_l("Leave this field empty"))  # honeypot
    name = StringField(
        _l("Full name"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=200)],
        description=_l("If you choose to withhold your name, it is not published."),
        render_kw={"autocomplete": "name"},
    )
    organization_name = StringField(
        _l("Organization (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty if you are speaking as an individual."),
        render_kw={"autocomplete": "organization"},
    )
    organization_kind = SelectField(_l("Kind of organization"), validators=[Optional()])
    email = EmailField(
        _l("Email address (optional)"),
        validators=[
            Optional(),
            Email(_l("Enter an email address like name@example.org.")),
            Length(max=254),
        ],
        description=_l("We send your receipt and reference number here."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone number (optional)"),
        validators=[Optional(), Length(max=50)],
        render_kw={"autocomplete": "tel"},
    )
    agenda_item = SelectField(_l("Agenda item"), validators=[Optional()])
    position = RadioField(
        _l("Your position on the subject"),
        choices=POSITION_CHOICES,
        validators=[DataRequired(_l("Choose your position."))],
    )
    mode = RadioField(
        _l("How will you take part?"),
        choices=MODE_CHOICES,
        validators=[DataRequired(_l("Choose how you will take part."))],
    )
    interpretation_language = StringField(
        _l("Interpretation needed (language, optional)"), validators=[Optional(), Length(max=60)]
    )
    accessibility_needs = TextAreaField(
        _l("Accessibility needs (optional)"), validators=[Optional(), Length(max=2000)]
    )
    confidentiality = RadioField(
        _l("Who may see your name and testimony?"),
        choices=CONFIDENTIALITY_CHOICES,
        default="public",
        validators=[DataRequired(_l("Choose who may see your testimony."))],
    )
    consent_publish = BooleanField(
        _l("I agree that my testimony may be published as I chose above."),
        description=_l("Without this, your testimony is read by staff but not published."),
    )
    written_text = TextAreaField(
        _l("Written testimony (optional if you speak)"),
        validators=[Optional(), Length(max=100_000)],
    )
    files = MultipleFileField(
        _l("Attach files (optional)"),
        description=_l("PDF, Word (.docx) or plain text (.txt), up to %(mb)s MB each."),
    )


class HearingForm(FlaskForm):
    """Staff set-up of a hearing; date-times are entered in the hearing's time zone."""

    title = StringField("Title", validators=[DataRequired("Enter a title."), Length(max=200)])
    subject = StringField(
        "Subject",
        validators=[Optional(), Length(max=200)],
        description="For example a bill number.",
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=10000)])
    starts_at = DateTimeLocalField(
        "Starts at", validators=[DataRequired("Enter the date and time.")]
    )
    timezone = StringField(
        "Time zone", default="America/New_York", validators=[DataRequired(), Length(max=64)]
    )
    place = StringField("Place", validators=[Optional(), Length(max=300)])
    remote_link = StringField(
        "Link for remote attendance",
        validators=[Optional(), URL(message="Enter a full web address."), Length(max=500)],
    )
    agenda = TextAreaField("Agenda items", description="One per line.", validators=[Optional()])
    minutes_per_speaker = IntegerField(
        "Minutes per speaker", default=3, validators=[NumberRange(1, 60, "Enter 1 to 60.")]
    )
    signup_opens_at = DateTimeLocalField("Sign-up opens", validators=[Optional()])
    signup_closes_at = DateTimeLocalField("Sign-up closes", validators=[Optional()])
    capacity = IntegerField(
        "Speaking places",
        validators=[Optional(), NumberRange(1, 2000)],
        description="Leave empty for no limit.",
    )
    written_deadline = DateTimeLocalField("Written testimony deadline", validators=[Optional()])
    status = SelectField("Status", choices=[(s.value, s.value.capitalize()) for s in HearingStatus])
    order_rule = SelectField(
        "Speaker order rule",
        choices=[
            (OrderRule.OFFICIALS_FIRST.value, "Officials first, then alternating positions"),
            (OrderRule.FIRST_COME.value, "First come, first served"),
        ],
    )
    title_es = StringField("Title in Spanish", validators=[Optional(), Length(max=200)])
    description_es = TextAreaField("Description in Spanish", validators=[Optional()])
    agenda_es = TextAreaField(
        "Agenda items in Spanish", description="One per line, same order.", validators=[Optional()]
    )


class WalkInForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter the speaker's name."), Length(max=200)]
    )
    organization_name = StringField("Organization", validators=[Optional(), Length(max=200)])
    organization_kind = SelectField("Kind of organization", validators=[Optional()])
    position = RadioField("Position", choices=POSITION_CHOICES, default="information")
    confidentiality = RadioField(
        "Confidentiality", choices=CONFIDENTIALITY_CHOICES, default="public"
    )
    consent_publish = BooleanField("Agrees to publication")


class NotesForm(FlaskForm):
    notes = TextAreaField("Facilitator's notes (staff only)", validators=[Optional()])
    transcript = TextAreaField(
        "Transcript of oral testimony",
        validators=[Optional()],
        description="Type or paste. A line may start with a time, like [00:02:15].",
    )


class RedactPhraseForm(FlaskForm):
    phrase = StringField("Words to redact", validators=[DataRequired("Enter the words to redact.")])
    reason = StringField(
        "Reason", default="Personal data", validators=[DataRequired("Give a reason.")]
    )
    field = HiddenField(default="written")
    attachment_id = HiddenField()


class SummaryForm(FlaskForm):
    summary = TextAreaField("Staff summary", validators=[Optional(), Length(max=5000)])

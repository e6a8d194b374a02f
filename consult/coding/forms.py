"""Forms for the codebook and manual coding."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

STANCES = [("", "No stance"), ("for", "For"), ("against", "Against")]


class ThemeForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter a name for the theme."), Length(max=300)]
    )
    parent_id = SelectField("Parent theme", coerce=int, default=0)
    description = TextAreaField(
        "Description",
        description="What the theme means, in a sentence or two.",
        validators=[Optional()],
    )
    inclusion_notes = TextAreaField("Include when", validators=[Optional()])
    exclusion_notes = TextAreaField("Do not include when", validators=[Optional()])
    keywords = StringField(
        "Keywords and phrases",
        description="Separate them with semicolons, for example: shelter beds; housing; rent.",
        validators=[Optional()],
    )
    examples = TextAreaField("Example quotes", description="One per line.", validators=[Optional()])
    stance = SelectField(
        "Stance",
        choices=STANCES,
        default="",
        description="Set a stance so that views for and against a proposal are not merged.",
    )
    colour = StringField(
        "Colour",
        default="#1f5f99",
        validators=[
            Optional(),
            Regexp(
                r"^#[0-9a-fA-F]{6}$", message="Give the colour as # and six hexadecimal digits."
            ),
        ],
    )

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "parent_id": self.parent_id.data or None,
            "description": self.description.data,
            "inclusion_notes": self.inclusion_notes.data,
            "exclusion_notes": self.exclusion_notes.data,
            "keywords": _as_list(self.keywords.data, ";"),
            "examples": _as_list(self.examples.data, "\n"),
            "stance": self.stance.data or None,
            "colour": self.colour.data,
        }


def _as_list(value, sep: str) -> list[str]:
    if isinstance(value, list):
        return value
    return (value or "").split(sep)


class UploadForm(FlaskForm):
    file = FileField("File")


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into", coerce=int)


class SplitForm(ThemeForm):
    pass

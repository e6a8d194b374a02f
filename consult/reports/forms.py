"""Forms for recommendations and the summary report options."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consult.reports.models import RecommendationArea
from consult.reports.options import EDITIONS, SECTIONS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RecommendationForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired("Enter a title for the recommendation."), Length(max=300)],
        description="One sentence the legislature can act on.",
    )
    area = RadioField(
        "Area",
        choices=[(a.value, a.label) for a in RecommendationArea],
        default=RecommendationArea.OTHER.value,
    )
    text = TextAreaField(
        "Text",
        validators=[Optional(), Length(max=20000)],
        description="The recommendation in full. Separate paragraphs with a blank line.",
    )


class SummaryOptionsForm(FlaskForm):
    edition = RadioField(
        "Edition",
        choices=list(EDITIONS.items()),
        default="public",
        description="The public edition leaves out confidential testimony and unlisted "
        "organizations' names; the internal edition is for the task force only.",
    )
    sections = MultiCheckboxField(
        "Sections to include",
        choices=SECTIONS,
        default=[key for key, _ in SECTIONS],
    )
    include_suggestions = BooleanField(
        "Count machine suggestions no coder has reviewed yet",
        description="They are labelled on every page where they count.",
    )

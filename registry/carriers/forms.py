"""Forms of the carrier pages: a carrier's profile, a bureau's decision on a credit code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

PROFILE_FIELDS = (
    "name",
    "type",
    "region",
    "operator_name",
    "uscc",
    "uscc_confirmed",
    "address",
    "contact_name",
    "contact_phone",
    "founded_on",
    "website",
    "description",
)


class CarrierForm(FlaskForm):
    """A carrier's profile (the service checks every field)."""

    name = StringField(_l("Carrier name"))
    type = SelectField(_l("Type"), choices=[], validate_choice=False)  # the service checks it
    region = StringField(_l("County or district"))
    operator_name = StringField(_l("Operating organisation"))
    uscc = StringField(_l("Unified social credit code of the operating organisation"))
    uscc_confirmed = BooleanField(
        _l("The code is printed exactly so on the business licence (the bureau will verify it)")
    )
    address = StringField(_l("Address"))
    contact_name = StringField(_l("Contact person"))
    contact_phone = TelField(_l("Contact phone"))
    founded_on = StringField(_l("Founded on"))
    website = StringField(_l("Website"))
    description = TextAreaField(_l("Description"))
    confirm_duplicates = BooleanField(_l("This is a different carrier: save it anyway"))

    def __init__(self, *args, locked: bool = False, **kwargs) -> None:
        from registry.carriers.profiles import REQUIRED
        from registry.carriers.service import list_carrier_types

        super().__init__(*args, **kwargs)
        self.locked = locked
        for name in REQUIRED:  # marked in the page; the profile service enforces it
            getattr(self, name).flags.required = True
        self.type.choices = [SelectChoice("", "—")] + [
            SelectChoice(t.code, t.label) for t in list_carrier_types()
        ]

    @property
    def offers_code_confirmation(self) -> bool:
        """Whether to offer "printed so on the licence": only when the check character fails."""
        from registry.carriers import uscc

        code = "".join((self.uscc.data or "").split()).replace("-", "").upper()
        return uscc.problem(code) == "check"

    def payload(self) -> dict:
        """The fields for the profile service (type and region left out once locked)."""
        names = [n for n in PROFILE_FIELDS if not (self.locked and n in ("type", "region"))]
        data = {name: getattr(self, name).data for name in names}
        for name in names:
            if isinstance(data[name], str):
                data[name] = data[name].strip()
        return data


class CreditCodeDecisionForm(FlaskForm):
    """A bureau accepts or rejects a credit code that fails its check character."""

    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("accepted", _l("Accept: the code is right as printed")),
            SelectChoice("rejected", _l("Reject: the owner must correct it")),
        ],
        validators=[DataRequired()],
    )
    reason = TextAreaField(_l("Reason"))

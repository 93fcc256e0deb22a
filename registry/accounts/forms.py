"""Forms of the accounts pages: one per action. Rules live in the services; the forms only
carry the values (and the CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A CSRF-only form for buttons that post (sign out, confirmations)."""


class SignUpForm(FlaskForm):
    """Register a carrier's operating organisation."""

    name = StringField(_l("Organisation name"), validators=[DataRequired()])
    email = EmailField(_l("Email"), validators=[DataRequired()])
    phone = TelField(_l("Phone"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    password_again = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("must match the password"))],
    )


class ForgotPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailField(_l("Email"), validators=[DataRequired()])


class NewPasswordForm(FlaskForm):
    """Choose a new password (through a reset link)."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    password_again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("must match the password"))],
    )


class ChangePasswordForm(FlaskForm):
    """Change one's password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("must match the new password")),
        ],
    )


class ProfileForm(FlaskForm):
    """One's name and phone."""

    name = StringField(_l("Name"))
    phone = TelField(_l("Phone"))


class StaffForm(FlaskForm):
    """An administrator creates an account (reviewers are bound to a region)."""

    email = EmailField(_l("Email"), validators=[DataRequired()])
    name = StringField(_l("Name"))
    phone = TelField(_l("Phone"))
    role = SelectField(_l("Role"), choices=[])
    region = StringField(_l("Region"))
    password = PasswordField(_l("Temporary password"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        from registry.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.role.choices = [
            SelectChoice(r.value, r.label) for r in (Role.reviewer, Role.admin, Role.carrier)
        ]


class AdminPasswordForm(FlaskForm):
    """An administrator sets a temporary password."""

    password = PasswordField(_l("Temporary password"), validators=[DataRequired()])


class UserFilterForm(FlaskForm):
    """Filters of the account list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Email or name"))
    role = SelectField(_l("Role"), choices=[])
    active = BooleanField(_l("Active accounts only"))

    def __init__(self, *args, **kwargs) -> None:
        from registry.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.role.choices = [
            SelectChoice("", _l("All roles")),
            *[SelectChoice(r.value, r.label) for r in Role],
        ]

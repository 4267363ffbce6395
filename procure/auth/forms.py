"""Login, password change and password reset forms."""

from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from procure.forms_base import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired("E-mail wajib diisi."), Length(max=255)])
    password = PasswordField("Kata sandi", validators=[DataRequired("Kata sandi wajib diisi.")])
    submit = SubmitField("Masuk")


class PasswordForm(BaseForm):
    current = PasswordField("Kata sandi lama", validators=[DataRequired("Wajib diisi.")])
    new = PasswordField("Kata sandi baru", validators=[DataRequired("Wajib diisi.")])
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired("Wajib diisi."), EqualTo("new", "Kedua kata sandi tidak sama.")],
    )
    submit = SubmitField("Simpan kata sandi")


class ForgotForm(BaseForm):
    email = EmailField(
        "E-mail akun",
        validators=[DataRequired("E-mail wajib diisi."), Length(max=255)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    submit = SubmitField("Kirim tautan")


class ResetForm(BaseForm):
    new = PasswordField(
        "Kata sandi baru",
        validators=[DataRequired("Wajib diisi.")],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Ulangi kata sandi baru",
        validators=[DataRequired("Wajib diisi."), EqualTo("new", "Kedua kata sandi tidak sama.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Simpan kata sandi baru")

"""Third-party apps under names a clinic administrator reads in the admin sidebar."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpConfig


class SignInLimitsConfig(AxesAppConfig):
    verbose_name = "Sign-in attempts and lockouts"


class AuthenticatorsConfig(TotpConfig):
    verbose_name = "Two-factor authenticators"

"""Login with throttling (django-axes, see throttle.py); logout is Django's (POST only)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

LOCKED_STATUS = 429  # Too Many Requests


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "locked": _("登录失败次数过多，请稍后再试。"),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # Axes' backend refused (or this failure reached the limit): say so instead of
            # "wrong password", which would invite more attempts.
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(self.error_messages["locked"], code="locked") from None
            raise


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


def locked_out(request, original_response, credentials=None):
    """Axes' answer to a refused login (AXES_LOCKOUT_CALLABLE, called by AxesMiddleware with the
    response): the page the login view rendered (ours says "too many failures"; the Django
    admin's its own error), with status 429."""
    original_response.status_code = LOCKED_STATUS
    return original_response

"""Second-factor pages: enrolment (QR and manual key), the code page, and the commission's reset."""

import json
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kernel import access

from . import lockout, recovery_codes, selectors
from . import services_passkeys as passkeys
from . import services_second_factor as second_factor
from .forms import PasskeyForm, SecondFactorCodeForm, SecondFactorResetForm
from .models import PasskeyDevice, User
from .second_factor import safe_next


def _home(request):
    return redirect(safe_next(request) or "dashboard")


def _refused(request, form, error):
    """A wrong code stays on the page; a lock or suspension signs the person out."""
    if error.code in (lockout.LoginRefused.LOCKED, lockout.LoginRefused.SUSPENDED):
        logout(request)
        for message in error.messages:
            messages.error(request, message)
        return redirect("login")
    for message in error.messages:
        form.add_error("code", message)
    return None


@access.signed_in
def second_factor_enrol(request):
    user = request.user
    if not second_factor.requires_second_factor(user) and not second_factor.has_second_factor(user):
        return _home(request)
    if second_factor.has_second_factor(user):
        return redirect("onboarding:second_factor_verify")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.second_factor_enrol(request=request, user=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            refused = _refused(request, form, error)
            if refused is not None:
                return refused
        else:
            context = {"codes": codes, "next": safe_next(request)}
            return render(request, "accounts/second_factor/backup_codes.html", context)
    return _enrol_page(request, form)


def _enrol_page(request, form, passkey_error=""):
    device = second_factor.enrolment_device(request.user)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m", micro=False).svg_data_uri(scale=4, border=2),
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        "next": safe_next(request),
        "passkey_options": json.loads(passkeys.registration_options(request=request, user=request.user)),
        "passkey_error": passkey_error,
    }
    return render(request, "accounts/second_factor/enrol.html", context)


def _verify_page(request, form, passkey_error=""):
    user = request.user
    has_passkey = second_factor.has_passkey(user)
    context = {
        "form": form,
        "next": safe_next(request),
        "lock_help": lockout.lock_help_text(),
        "has_app": second_factor.confirmed_device(user) is not None,
        "passkey_options": (
            json.loads(passkeys.authentication_options(request=request, user=user)) if has_passkey else None
        ),
        "passkey_error": passkey_error,
    }
    return render(request, "accounts/second_factor/verify.html", context)


@access.signed_in
@require_POST
def passkey_enrol(request):
    """Register a passkey or security key as the first second factor (answer of the enrol page)."""
    user = request.user
    if second_factor.has_second_factor(user):
        return redirect("onboarding:second_factor_verify")
    form = PasskeyForm(request.POST)
    error_text = _("La llave no respondió. Inténtelo de nuevo.")
    if form.is_valid():
        try:
            codes = passkeys.passkey_enrol(request=request, user=user, credential=form.cleaned_data["credential"])
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            context = {"codes": codes, "next": safe_next(request)}
            return render(request, "accounts/second_factor/backup_codes.html", context)
    return _enrol_page(request, SecondFactorCodeForm(), passkey_error=error_text)


def _security_page(request, passkey_error=""):
    user = request.user
    context = {
        "enrolled": second_factor.has_second_factor(user),
        "has_app": second_factor.confirmed_device(user) is not None,
        "passkeys": list(PasskeyDevice.objects.filter(user=user, confirmed=True).order_by("pk")),
        "recovery_left": recovery_codes.remaining(user),
        "passkey_options": json.loads(passkeys.registration_options(request=request, user=user)),
        "passkey_error": passkey_error,
    }
    return render(request, "accounts/second_factor/security.html", context)


@access.signed_in
def security(request):
    """The person's own factors, where someone who enrolled the app adds a passkey later."""
    if second_factor.has_second_factor(request.user) and not request.user.is_verified():
        return redirect("onboarding:second_factor_verify")
    return _security_page(request)


@access.signed_in
@require_POST
def passkey_add(request):
    user = request.user
    if not second_factor.has_second_factor(user) or not user.is_verified():
        return redirect("onboarding:second_factor_verify")
    form = PasskeyForm(request.POST)
    error_text = _("La llave no respondió. Inténtelo de nuevo.")
    if form.is_valid():
        try:
            passkeys.passkey_add(request=request, user=user, credential=form.cleaned_data["credential"])
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(request, _("Llave de seguridad agregada. Ya puede entrar con ella."))
            return redirect("onboarding:second_factor_security")
    return _security_page(request, passkey_error=error_text)


@access.signed_in
@require_POST
def passkey_verify(request):
    """Check a passkey's answer (from the code page); a refused one counts toward the lockout."""
    user = request.user
    if user.is_verified():
        return _home(request)
    form = PasskeyForm(request.POST)
    try:
        passkeys.passkey_verify(
            request=request, user=user, assertion=form.cleaned_data["credential"] if form.is_valid() else ""
        )
    except ValidationError as error:
        if error.code in (lockout.LoginRefused.LOCKED, lockout.LoginRefused.SUSPENDED):
            logout(request)
            for message in error.messages:
                messages.error(request, message)
            return redirect("login")
        return _verify_page(request, SecondFactorCodeForm(), passkey_error=" ".join(error.messages))
    return _home(request)


@access.signed_in
def second_factor_verify(request):
    user = request.user
    if user.is_verified():
        return _home(request)
    if not second_factor.has_second_factor(user):
        return redirect("onboarding:second_factor_enrol")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.second_factor_verify(request=request, user=user, token=form.cleaned_data["code"])
        except ValidationError as error:
            refused = _refused(request, form, error)
            if refused is not None:
                return refused
        else:
            return _home(request)
    return _verify_page(request, form)


@access.permission("accounts.view_user", "accounts.change_user")
def user_second_factor_reset(request, user_pk):
    try:
        account = selectors.user_get(user=request.user, pk=user_pk)
    except User.DoesNotExist:
        raise Http404 from None
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.second_factor_reset(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Se restableció el segundo factor de %(name)s; deberá darlo de alta en su próximo inicio de sesión.")
                % {"name": account.full_name},
            )
            return redirect("accounts:user_detail", user_pk=account.pk)
    context = {"account": account, "form": form, "enrolled": second_factor.has_second_factor(account)}
    return render(request, "accounts/second_factor/reset_confirm.html", context)

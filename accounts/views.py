"""Profile catalog (commission) and user pages (scoped). Every view declares its access rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kernel import access, web

from . import lockout, lockout_display, selectors, services
from . import services_second_factor as second_factor
from .forms import (
    AssignmentGrantForm,
    ProfileAssignForm,
    ProfileForm,
    ReactivationForm,
    UserFilterForm,
    permission_group_label,
    permission_label,
)
from .models import Profile, User

PAGE_SIZE = 25


def _page(request, rows):
    return web.page(request, rows, PAGE_SIZE)


def _profile_or_404(request, pk):
    try:
        return selectors.profile_get(user=request.user, pk=pk)
    except Profile.DoesNotExist:
        raise Http404 from None


def _user_or_404(request, pk):
    try:
        return selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist:
        raise Http404 from None


def _add_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


# --- Profile catalog ----------------------------------------------------------------------


PROFILE_SORTS = web.Sortable(
    {
        "perfil": ("name",),
        "alcance": ("scope",),
        "tipo": ("-is_builtin", "name"),
        "cuentas": ("holders",),
        "estado": ("-is_active",),
    },
    default="tipo",
)


@access.permission("accounts.view_profile")
def profile_list(request):
    rows, sorting = web.sort(request, selectors.profile_list(user=request.user), PROFILE_SORTS)
    return render(
        request,
        "accounts/profile_list.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "sorting": sorting},
    )


@access.permission("accounts.view_profile")
def profile_detail(request, profile_pk):
    profile = _profile_or_404(request, profile_pk)
    grouped = []
    for permission in selectors.profile_permissions(profile=profile):
        label = permission_group_label(permission.content_type)
        if not grouped or grouped[-1][0] != label:
            grouped.append((label, []))
        grouped[-1][1].append(permission_label(permission))
    history = selectors.profile_history(profile=profile)
    return render(
        request,
        "accounts/profile_detail.html",
        {"profile": profile, "permission_groups": grouped, **history},
    )


@access.permission("accounts.add_profile")
def profile_create(request):
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(
                actor=request.user,
                code=form.code,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                scope=form.cleaned_data["scope"],
                permissions=list(form.cleaned_data["permissions"]),
                requires_second_factor=form.cleaned_data["requires_second_factor"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Perfil «%(name)s» creado.") % {"name": profile.name})
            return redirect("accounts:profile_detail", profile_pk=profile.pk)
    return render(request, "accounts/profile_form.html", {"form": form, "creating": True})


@access.permission("accounts.change_profile")
def profile_update(request, profile_pk):
    profile = _profile_or_404(request, profile_pk)
    if profile.is_builtin:
        messages.error(request, _("Los perfiles predefinidos se definen en la tabla de capacidades y no se editan."))
        return redirect("accounts:profile_detail", profile_pk=profile.pk)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=request.user,
                profile=profile,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                scope=form.cleaned_data["scope"],
                permissions=list(form.cleaned_data["permissions"]),
                requires_second_factor=form.cleaned_data["requires_second_factor"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Perfil actualizado. Sus usuarios tendrán los nuevos permisos al instante."))
            return redirect("accounts:profile_detail", profile_pk=profile.pk)
    return render(request, "accounts/profile_form.html", {"form": form, "profile": profile, "creating": False})


def _profile_toggle(request, profile_pk, *, activate):
    profile = _profile_or_404(request, profile_pk)
    error = None
    if request.method == "POST":
        service = services.profile_activate if activate else services.profile_deactivate
        try:
            service(actor=request.user, profile=profile)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            done = _("Perfil activado.") if activate else _("Perfil desactivado.")
            messages.success(request, done)
            return redirect("accounts:profile_detail", profile_pk=profile.pk)
    return render(
        request,
        "accounts/profile_confirm_toggle.html",
        {"profile": profile, "activate": activate, "error": error},
        status=400 if error else 200,
    )


@access.permission("accounts.change_profile")
def profile_deactivate(request, profile_pk):
    """GET: the confirmation page; POST: withdraw the profile from the catalog."""
    return _profile_toggle(request, profile_pk, activate=False)


@access.permission("accounts.change_profile")
def profile_activate(request, profile_pk):
    return _profile_toggle(request, profile_pk, activate=True)


# --- Users -------------------------------------------------------------------------------


USER_SORTS = web.Sortable(
    {
        "nombre": ("paternal_surname", "maternal_surname", "given_names"),
        "usuario": ("username",),
        "institucion": ("institution__acronym",),
        "perfil": ("profile__name",),
        "estado": ("status",),
    },
    default="nombre",
)


@access.permission("accounts.view_user")
def user_list(request):
    form = UserFilterForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    # Every search is kept once, by the access log with its query (000, DÉCIMA TERCERA).
    rows, sorting = web.sort(request, selectors.user_list(user=request.user, search=search), USER_SORTS)
    return render(
        request,
        "accounts/user_list.html",
        {"page": _page(request, rows), "form": form, "query": web.query_without_page(request), "sorting": sorting},
    )


@access.permission("accounts.view_user")
def user_detail(request, user_pk):
    account = _user_or_404(request, user_pk)
    takes_assignments = account.profile is not None and account.profile.scope == Profile.Scope.ASSIGNED
    manages = takes_assignments and services.can_manage_assignments(request.user) and account.pk != request.user.pk
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "history": selectors.user_profile_history(user=account),
            "assignments": selectors.user_assignments(user=account) if takes_assignments else None,
            "grant_form": AssignmentGrantForm(actor=request.user) if manages else None,
            "locked_until": lockout_display.locked_until(username=account.username),
            "can_reset_second_factor": account.pk != request.user.pk
            and second_factor.can_reset_second_factor(request.user)
            and second_factor.has_second_factor(account),
        },
    )


@access.permission("accounts.view_user", "accounts.change_user")
def user_assignments(request, user_pk):
    """Grant an agreement to a person with the assigned scope, or revoke a grant after confirming.

    GET ``?retirar=<grant>``: the confirmation page of a revocation (otherwise back to the
    person's page); POST ``retirar``: revoke; POST ``agreement``: grant. The services check that
    the actor is a commission administrator who sees the person and the object.
    """
    account = _user_or_404(request, user_pk)
    by_grant = {str(item["grant"].pk): item for item in selectors.user_assignments(user=account)}
    to_revoke = by_grant.get(request.POST.get("retirar") or request.GET.get("retirar") or "")
    if request.method != "POST":
        if to_revoke is None:
            return redirect("accounts:user_detail", user_pk=account.pk)
        return render(request, "accounts/assignment_revoke_confirm.html", {"account": account, "item": to_revoke})
    try:
        if to_revoke is not None:
            services.assignment_revoke(user=account, obj=to_revoke["object"], actor=request.user)
            messages.success(
                request,
                _("Se retiró a %(name)s la asignación de «%(object)s».")
                % {"name": account.full_name, "object": to_revoke["object"]},
            )
        else:
            form = AssignmentGrantForm(request.POST, actor=request.user)
            if form.is_valid():
                agreement = form.cleaned_data["agreement"]
                services.assignment_grant(user=account, obj=agreement, actor=request.user)
                messages.success(
                    request,
                    _("Se asignó a %(name)s el convenio «%(object)s».")
                    % {"name": account.full_name, "object": agreement},
                )
            else:
                messages.error(request, _("Elija un convenio de la lista."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("accounts:user_detail", user_pk=account.pk)


@access.permission("accounts.view_user", "accounts.change_user")
def user_profile_change(request, user_pk):
    """Assign another profile from the catalog; the person's sessions end at once."""
    account = _user_or_404(request, user_pk)
    profiles = selectors.assignable_profiles(for_user=account)
    form = ProfileAssignForm(request.POST or None, profiles=profiles, initial={"profile": account.profile_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_profile(user=account, profile=form.cleaned_data["profile"], actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s tiene ahora el perfil «%(profile)s»; sus sesiones abiertas se cerraron.")
                % {"name": account.full_name, "profile": form.cleaned_data["profile"].name},
            )
            return redirect("accounts:user_detail", user_pk=account.pk)
    return render(request, "accounts/user_profile_form.html", {"account": account, "form": form})


# --- Suspended accounts (lockout) ----------------------------------------------------------


SUSPENDED_SORTS = web.Sortable(
    {
        "usuario": ("username",),
        "nombre": ("paternal_surname", "maternal_surname", "given_names"),
        "institucion": ("institution__acronym",),
        "desde": ("status_changed_at",),
    },
    default="-desde",
)


@access.permission("accounts.reactivate_user")
def suspended_list(request):
    rows, sorting = web.sort(request, selectors.suspended_accounts(user=request.user), SUSPENDED_SORTS)
    return render(
        request,
        "accounts/suspended_list.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "sorting": sorting},
    )


@access.permission("accounts.reactivate_user")
def reactivate(request, user_pk):
    account = _user_or_404(request, user_pk)
    suspended = account.can_be_reactivated
    form = ReactivationForm(request.POST or None) if suspended else None
    if suspended and request.method == "POST" and form.is_valid():
        try:
            services.account_reactivate(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La cuenta %(username)s fue reactivada.") % {"username": account.username})
            return redirect("accounts:suspended_list")
    state = lockout.lockout_state(username=account.username)
    context = {"account": account, "form": form, "state": state, "suspended": suspended}
    return render(request, "accounts/reactivate_confirm.html", context)

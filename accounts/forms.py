from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .models import Profile
from .selectors import assignable_permissions

_VERBS = {
    "view": _("Consultar"),
    "add": _("Crear"),
    "change": _("Modificar"),
    "delete": _("Eliminar"),
}


def permission_label(permission):
    """A Spanish label for a permission: Django's default names are English ("Can view ...")."""
    action, _sep, model = permission.codename.partition("_")
    model_class = permission.content_type.model_class()
    if action in _VERBS and model_class is not None and model == permission.content_type.model:
        return f"{_VERBS[action]} {model_class._meta.verbose_name_plural}"
    return permission.name


def permission_group_label(content_type):
    model_class = content_type.model_class()
    app_label = content_type.app_label
    from django.apps import apps

    app_name = apps.get_app_config(app_label).verbose_name
    if model_class is None or content_type.model == "capability":
        return f"{app_name}: {_('capacidades generales')}"
    return f"{app_name}: {model_class._meta.verbose_name_plural}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return permission_label(obj)


class ProfileForm(forms.ModelForm):
    """A custom profile: name, description, scope and the permissions its group holds."""

    permissions = PermissionChoiceField(
        label=_("Permisos"),
        queryset=assignable_permissions(),
        required=False,
        help_text=_("Marque lo que podrán hacer las personas con este perfil."),
    )

    class Meta:
        model = Profile
        fields = ["name", "description", "scope", "requires_second_factor"]
        help_texts = {
            "scope": _("Hasta dónde alcanzan los permisos: toda la plataforma, su institución o solo lo asignado."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "scope": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = Profile.Scope.choices  # no empty radio
        self.fields["permissions"].queryset = assignable_permissions()
        if self.instance.pk:
            self.fields["permissions"].initial = list(self.instance.group.permissions.values_list("pk", flat=True))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        code = slugify(name).replace("-", "_")[:50]
        if not code:
            raise forms.ValidationError(_("Escriba un nombre con letras o números."))
        clash = Profile.objects.filter(code=code).exclude(pk=self.instance.pk)
        if self.instance.pk is None and clash.exists():
            raise forms.ValidationError(_("Ya existe un perfil con un nombre equivalente."))
        return name

    @property
    def code(self):
        return slugify(self.cleaned_data["name"]).replace("-", "_")[:50]

    def permission_groups(self):
        """The permission checkboxes grouped by model, for one fieldset each."""
        field = self["permissions"]
        permissions = {str(p.pk): p for p in self.fields["permissions"].queryset}
        groups = []
        for checkbox in field:
            permission = permissions[str(checkbox.data["value"])]
            label = permission_group_label(permission.content_type)
            if not groups or groups[-1][0] != label:
                groups.append((label, []))
            groups[-1][1].append(checkbox)
        return groups


class ProfileAssignForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Nuevo perfil"), queryset=Profile.objects.none(), empty_label=None)

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


class AssignmentGrantForm(forms.Form):
    """An agreement to grant to a person whose profile has the assigned scope."""

    agreement = forms.ModelChoiceField(label=_("Convenio que se asigna"), queryset=None)

    def __init__(self, *args, actor, **kwargs):
        from agreements.models import Agreement

        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.visible_to(actor).order_by("folio")


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre, usuario o correo"), required=False, max_length=100)


class ReactivationForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la reactivación"),
        help_text=_("Por ejemplo, el número de oficio de la solicitud de la institución. Queda en la bitácora."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Código"),
        help_text=_("Los seis dígitos que muestra su aplicación de autenticación, o uno de sus códigos de respaldo."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class PasskeyForm(forms.Form):
    """The browser's answer to a WebAuthn ceremony (filled in by static/js/passkeys.js)."""

    credential = forms.CharField(widget=forms.HiddenInput, max_length=20000)


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del restablecimiento"),
        help_text=_("Por ejemplo, el teléfono perdido y el oficio que lo informa. Queda en la bitácora."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LockLiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo para levantar el bloqueo"),
        help_text=_("Por ejemplo, que la persona confirmó por teléfono que fue ella. Queda en la bitácora."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

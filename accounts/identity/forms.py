from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Profile


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class SystemForm(forms.Form):
    code = forms.SlugField(label=_("Clave"), max_length=50)
    name = forms.CharField(label=_("Nombre"), max_length=150)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confidential = forms.BooleanField(
        label=_("Cliente confidencial (con secreto)"),
        required=False,
        help_text=_("Para aplicaciones de servidor. Las de escritorio o móviles son públicas y usan sólo PKCE."),
    )
    redirect_uris = forms.CharField(
        label=_("Direcciones de retorno"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Una por renglón; https, o http://127.0.0.1 (cualquier puerto) para aplicaciones locales."),
    )
    post_logout_redirect_uris = forms.CharField(
        label=_("Direcciones tras cerrar sesión"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    profiles = forms.ModelMultipleChoiceField(
        label=_("Perfiles que pueden usarlo"),
        queryset=Profile.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    is_active = forms.BooleanField(label=_("Activo"), required=False, initial=True)

    def __init__(self, *args, system=None, **kwargs):
        if system is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": system.code,
                    "name": system.name,
                    "description": system.description,
                    "redirect_uris": "\n".join(system.application.redirect_uris.split()),
                    "post_logout_redirect_uris": "\n".join(system.application.post_logout_redirect_uris.split()),
                    "profiles": list(system.profiles.all()),
                    "is_active": system.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if system is not None:
            self.fields["code"].disabled = True
            self.fields["confidential"].disabled = True

    def clean_redirect_uris(self):
        uris = _lines(self.cleaned_data["redirect_uris"])
        if not uris:
            raise forms.ValidationError(_("Indique al menos una dirección de retorno."))
        return uris

    def clean_post_logout_redirect_uris(self):
        return _lines(self.cleaned_data["post_logout_redirect_uris"])

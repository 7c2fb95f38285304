"""The portal's form renderer: selects start with a prompt, not Django's "---------" (issue 21).

Set as ``FORM_RENDERER``; every ``forms.Select`` drawn through Django's templates passes here,
so no form needs its own ``empty_label``. (``CompactSelect`` writes its options in Python and
calls ``prompt_label`` itself.)
"""

from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _

DASHES = "---------"


def prompt_label(label):
    return _("Elija una opción") if label == DASHES else label


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget and "optgroups" in widget:
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    option["label"] = prompt_label(option["label"])
                    if option["value"] == "unknown":
                        # A yes/no list filter (the portal's only NullBooleanSelect): not filtering
                        # reads "Todos", not Django's "Desconocido".
                        option["label"] = _("Todos")
        return super().render(template_name, context, request=request)

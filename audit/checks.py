"""Deployment check (``manage.py check --deploy``): the checkpoint signing key is configured."""

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def checkpoint_key_configured(app_configs, **kwargs):
    from . import keys

    try:
        keys.signer()
        keys.old_verifiers()
    except ImproperlyConfigured as error:
        hint = 'Generate one with: python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"'
        return [Error(str(error), hint=hint, id="audit.E001")]
    return []

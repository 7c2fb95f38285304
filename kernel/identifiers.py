"""Mexican identifiers (kernel): CURP and RFC validation with python-stdnum.

Used by model fields and forms of every app. Messages are in Spanish and say what is wrong.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc


def normalize_curp(value: str) -> str:
    return stdnum_curp.compact(value or "")


def normalize_rfc(value: str) -> str:
    return stdnum_rfc.compact(value or "")


def validate_curp(value: str) -> None:
    try:
        stdnum_curp.validate(value)
    except InvalidLength:
        raise ValidationError(_("La CURP debe tener 18 caracteres."), code="curp_length") from None
    except InvalidChecksum:
        raise ValidationError(
            _("El dígito verificador de la CURP no corresponde; revise que esté bien escrita."), code="curp_checksum"
        ) from None
    except (InvalidFormat, InvalidComponent, StdnumError):
        raise ValidationError(_("La CURP no tiene un formato válido."), code="curp_invalid") from None


def validate_rfc(value: str) -> None:
    try:
        stdnum_rfc.validate(value, validate_check_digits=True)
    except InvalidLength:
        raise ValidationError(
            _("El RFC debe tener 12 caracteres (persona moral) o 13 (persona física)."), code="rfc_length"
        ) from None
    except InvalidChecksum:
        raise ValidationError(_("El dígito verificador del RFC no corresponde."), code="rfc_checksum") from None
    except (InvalidFormat, InvalidComponent, StdnumError):
        raise ValidationError(_("El RFC no tiene un formato válido."), code="rfc_invalid") from None


def curp_birth_date(value: str) -> date:
    return stdnum_curp.get_birth_date(value)


def curp_sex(value: str) -> str:
    """Sex derived from the CURP, as the CURP writes it: 'H' (hombre) or 'M' (mujer).

    stdnum returns English codes ('M' male, 'F' female); translate back to the CURP's letters.
    """
    return {"M": "H", "F": "M"}[stdnum_curp.get_gender(value)]

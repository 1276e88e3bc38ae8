"""Personal data: find it and mask it before it is stored or logged.

``get_masker().mask(text)`` returns the text with phone numbers, e-mails, Chinese
resident IDs, bank cards and street addresses masked (see :mod:`kefu.privacy.masks`
for what masks look like). Presidio is imported on first use, not at import time.
"""

from kefu.privacy.masking import MaskedText, PiiFinding, PiiMasker, get_masker

__all__ = ["MaskedText", "PiiFinding", "PiiMasker", "get_masker"]

"""A broken centres rule, shaped like the organisation domain's error.

It subclasses ``OrgError`` so the back office's ``apply_error`` and the API's mapping
(``out_of_scope`` → 404, ``forbidden`` → 403, else 400) work unchanged.
"""

from __future__ import annotations

from kium.orgs.domain.errors import FORBIDDEN, OUT_OF_SCOPE, OrgError

__all__ = ["FORBIDDEN", "OUT_OF_SCOPE", "CentresError"]


class CentresError(OrgError):
    pass

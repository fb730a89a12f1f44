"""Names as the project writes them: snake_case columns."""

from __future__ import annotations

import re


def snake_case(name: str) -> str:
    """'Prod_t_est_2022 ' -> 'prod_t_est_2022'; 'Statistics detail' -> 'statistics_detail'."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def camel_to_snake(name: str) -> str:
    """'partnerISO' -> 'partner_iso'; 'refYear' -> 'ref_year'; 'cifvalue' -> 'cifvalue'."""
    return snake_case(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name))

"""The statistics app's door: what its API and CLI — and later the dashboard and the open data —
call. Every report is made from the registry's door (``yakuba.registry.services``: counts,
never persons) and audited as an export.

- ``population``: the 住民基本台帳に基づく人口、人口動態及び世帯数調査 (contract §9.1);
- ``monthly``: population and 世帯数 by 町字, by single year of age, the month's 異動;
- ``files``: CSV (機械可読性ルール) and XLSX (the forms) of each;
- ``pyramid``: the population pyramid as PNG or SVG, with the year before as an outline;
- ``opendata``: the 自治体標準オープンデータセット with its DCAT metadata;
- ``dashboard``: the staff dashboard's totals compared with the year before;
- ``dates``: the 基準日 and months a report may be asked for (``BadRequest``).
"""

from yakuba.statistics.services import dashboard, files, monthly, opendata, population, pyramid
from yakuba.statistics.services.dates import BadRequest, check_as_of, month_bounds

__all__ = [
    "BadRequest",
    "check_as_of",
    "dashboard",
    "files",
    "month_bounds",
    "monthly",
    "opendata",
    "population",
    "pyramid",
]

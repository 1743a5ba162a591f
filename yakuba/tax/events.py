"""Event types of the tax app: an assessment decided (当初課税) or corrected (更正・取消し).

Other apps read 所得 and 課税/非課税 from these (国保's 軽減, 介護保険料's 段階, 児童手当 and 保育's
所得判定), not from the tax tables. Tax information is under the 守秘義務 of 地方税法 §22: a client
without ``tax:read`` receives only which person, which 年度 and which version changed — enough to
know to ask — never the figures.
"""

from __future__ import annotations

from yakuba.platform.linkage.catalogue import EventType, register

DECIDED = "jp.yakuba.tax.assessment.decided.v1"
CORRECTED = "jp.yakuba.tax.assessment.corrected.v1"

_DATA = {
    "fiscal_year": "年度",
    "version": "版（1 が当初課税）",
    "reason": "事由（initial 当初課税, correction 更正, cancellation 賦課の取消し）",
    "total_income": "合計所得金額",
    "taxable_income": "課税総所得金額",
    "salary_income": "給与所得",
    "pension_income": "公的年金等に係る雑所得",
    "non_taxable_per_capita": "均等割が非課税",
    "non_taxable_income_levy": "所得割が非課税",
    "total": "年税額（市町村民税・道府県民税・森林環境税）",
}
PUBLIC = ("fiscal_year", "version", "reason")

for type_, title, description in (
    (DECIDED, "個人住民税の決定", "当初課税で税額（非課税を含む）が決まったとき（納税義務者1人につき1件）。"),
    (CORRECTED, "個人住民税の更正", "更正または賦課の取消しで税額が変わったとき。"),
):
    register(
        EventType(
            type_,
            title,
            description,
            subject="宛名番号",
            data=_DATA,
            data_scope="tax:read",
            public=PUBLIC,
        )
    )

"""所得・課税証明書: a taxpayer's 所得, 所得控除 and 個人住民税 of one 年度, issued with the
certificates app's machinery (signed PDF, QR, 証明書番号, 交付履歴) through its door.

Who may have it: tax information is secret (地方税法 §22), so the certificate goes to the
taxpayer, a member of the taxpayer's 世帯 today, or a proxy with the taxpayer's 委任状 — never to
a third party or, here, to another office (公用 requests for tax information rest on their own
statutes and are answered in writing, not with this certificate). A person under 支援措置 has it
only on their own request (or a clerk's recorded override), as for every certificate.

What it says: the figures of the latest version of the assessment (a 更正 prints the corrected
figures; a 賦課の取消し leaves nothing to certify), the person's name and address through the
registry's door. The 年度 is the tax year; its 所得 are those of the year before (令和8年度 =
令和7年中の所得), printed in the title so nobody mistakes one for the other.
"""

from __future__ import annotations

from datetime import date

from yakuba.certificates import services as certificates
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry
from yakuba.tax.codes import Reason
from yakuba.tax.services.assessment import versions

KIND = "income_certificate"
REQUESTERS = frozenset({"self", "household", "agent"})
REFUSED_REQUESTER = (
    "所得・課税証明書は本人、同一世帯の者または委任状を持つ代理人にのみ交付します（地方税法 第22条）"
)
NO_POWER_OF_ATTORNEY = "代理人の請求には本人の委任状が必要です。委任状を確認してください"
ATTESTATION = "上記のとおり相違ないことを証明する。"
FOREIGN = 2  # resident JSON 住民種別 (docs/reference/contract.md §6)

# 所得控除 as printed, in the order of the 申告書 (地方税法 §314の2).
DEDUCTIONS = (
    ("social_insurance", "社会保険料控除"),
    ("small_enterprise_mutual_aid", "小規模企業共済等掛金控除"),
    ("life_insurance", "生命保険料控除"),
    ("earthquake_insurance", "地震保険料控除"),
    ("medical_expenses", "医療費控除"),
    ("casualty", "雑損控除"),
    ("disability", "障害者控除"),
    ("widow", "寡婦控除"),
    ("single_parent", "ひとり親控除"),
    ("working_student", "勤労学生控除"),
    ("spouse", "配偶者控除"),
    ("spouse_special", "配偶者特別控除"),
    ("dependents", "扶養控除"),
    ("specific_relative", "特定親族特別控除"),
    ("basic", "基礎控除"),
)
DEPENDANTS = (
    ("general", "一般"),
    ("specific", "特定"),
    ("elderly", "老人"),
    ("cohabiting_parent", "同居老親等"),
    ("young", "年少"),
)


def tax_names(lg_code: str) -> tuple[str, str]:
    """(市町村民税, 道府県民税) as the municipality calls them: 市民税・町民税・村民税 or 特別区民税,
    and 都民税・道民税・府民税・県民税."""
    info = lookup(lg_code)
    municipal = "特別区民税" if info.lg_code.startswith("131") else f"{info.name[-1]}民税"
    return municipal, f"{info.prefecture[-1]}民税"


def year_title(fiscal_year: int) -> str:
    """「令和8年度（令和7年中の所得）」."""
    tax_year = format_wareki(date(fiscal_year, 4, 1)).split("年")[0]
    income_year = format_wareki(date(fiscal_year - 1, 4, 1)).split("年")[0]
    return f"{tax_year}年度（{income_year}年中の所得）"


def issue(
    atena_no: str,
    fiscal_year: int,
    *,
    requester: certificates.RequesterInfo,
    visibility: registry.Visibility,
    power_of_attorney: bool = False,
    fee_exempt_reason: str = "",
    reissue_of: str = "",
) -> certificates.Issued:
    """Issue the certificate (inside the caller's ``tenant_context``, one transaction). Raises
    the certificates door's ``RuleViolation`` for a refusal (who asked, 支援措置, no assessment)
    and ``NotFound`` for a person the caller may not see."""
    errors = []
    if requester.type not in REQUESTERS:
        errors.append(("requester.type", REFUSED_REQUESTER))
    if requester.type == "agent" and not power_of_attorney:
        errors.append(("power_of_attorney", NO_POWER_OF_ATTORNEY))
    if errors:
        raise certificates.RuleViolation(errors)
    return certificates.issue_document(
        KIND,
        lambda vis: document(atena_no, fiscal_year, requester=requester, visibility=vis),
        subjects={atena_no},
        options={"atena_no": atena_no, "fiscal_year": fiscal_year, "power_of_attorney": power_of_attorney},
        requester=requester,
        visibility=visibility,
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
    )


def reissue(options: dict, *, requester, visibility, fee_exempt_reason: str, reissue_of: str):
    """再発行 from the 交付履歴: the same person and 年度, today's latest figures."""
    return issue(
        options["atena_no"],
        int(options["fiscal_year"]),
        requester=requester,
        visibility=visibility,
        power_of_attorney=bool(options.get("power_of_attorney")),
        fee_exempt_reason=fee_exempt_reason,
        reissue_of=reissue_of,
    )


def document(
    atena_no: str, fiscal_year: int, *, requester: certificates.RequesterInfo, visibility
) -> certificates.Document:
    """What the certificate says, before any layout; ``RuleViolation`` when there is nothing to
    certify or the requester is not of the taxpayer's 世帯."""
    person = registry.get_resident(atena_no, visibility=visibility)  # NotFound when hidden
    if requester.type == "self" and requester.atena_no != atena_no:
        raise certificates.RuleViolation(
            [("requester.atena_no", "本人の請求では、請求者の宛名番号は証明する方の宛名番号です")]
        )
    if requester.type == "household" and requester.atena_no not in registry.household_members(
        person.setai_no
    ):
        raise certificates.RuleViolation(
            [
                (
                    "requester.atena_no",
                    f"請求者（{requester.atena_no}）は{person.name}さんと同一世帯ではありません",
                )
            ]
        )
    found = versions(atena_no, fiscal_year)
    latest = found[-1] if found else None
    if latest is None or latest.reason == Reason.CANCELLATION or latest.calculation_result is None:
        raise certificates.RuleViolation(
            [
                (
                    "fiscal_year",
                    f"{person.name}さんの{fiscal_year}年度の課税はありません（その年の1月1日に住所があった"
                    "市区町村で証明します）",
                )
            ]
        )
    result = latest.calculation_result
    january = registry.get_resident(atena_no, as_of=date(fiscal_year, 1, 1), visibility=visibility)
    rows = _person_rows(person, january)
    rows += _income_rows(result, (latest.calculation_input or {}).get("incomes", {}))
    rows += _deduction_rows(result)
    rows += _tax_rows(result, latest)
    address = certificates.full_address(person.address, person.address_extra)
    sheet = certificates.Sheet(
        household=(certificates.Item("address", "住所", address, wide=True),),
        persons=(certificates.Person(atena_no, person.name, person.resident_type == FOREIGN, tuple(rows)),),
    )
    return certificates.Document(
        kind=KIND,
        layout="individual",
        setai_no="",
        atena_nos=[atena_no],
        sheets=[sheet],
        title="所得・課税証明書",
        subtitle=year_title(fiscal_year),
        attestation=ATTESTATION,
    )


def _yen(amount: int) -> str:
    return f"{amount:,}円"


def _person_rows(person, january) -> list[tuple]:
    Item = certificates.Item
    foreign = person.resident_type == FOREIGN
    rows = [
        (Item("name", "氏名", person.name), Item("kana", "フリガナ", person.name_kana)),
        (Item("birth", "生年月日", certificates.birth_text(person, foreign)),),
    ]
    if (january.address, january.address_extra) != (person.address, person.address_extra):
        before = certificates.full_address(january.address, january.address_extra)
        rows.append((Item("address", "1月1日の住所", before, wide=True),))
    return rows


def _income_rows(result: dict, incomes: dict) -> list[tuple]:
    """収入 and 所得 of 給与 and 公的年金等, the other 所得, 合計所得金額 and 総所得金額等."""
    Item = certificates.Item
    by_kind = result.get("income_by_kind", {})
    return [
        (
            Item("number", "給与収入", _yen(incomes.get("salary", 0))),
            Item("number", "給与所得", _yen(by_kind.get("salary", 0))),
        ),
        (
            Item("number", "公的年金等収入", _yen(incomes.get("public_pension", 0))),
            Item("number", "公的年金等所得", _yen(by_kind.get("public_pension", 0))),
        ),
        (
            Item("number", "その他の所得", _yen(by_kind.get("other", 0))),
            Item("number", "合計所得金額", _yen(result["total_income"])),
            Item("number", "総所得金額等", _yen(result["total_income"])),
        ),
    ]


def _deduction_rows(result: dict) -> list[tuple]:
    """Every 所得控除 taken (three to a line), their total, the 課税標準 and the 扶養 counts."""
    Item = certificates.Item
    amounts = result["income_deductions"]
    taken = [Item("number", label, _yen(amounts[key])) for key, label in DEDUCTIONS if amounts.get(key)]
    rows = [tuple(taken[i : i + 3]) for i in range(0, len(taken), 3)]
    counts = result.get("dependants", {})
    dependants = "、".join(f"{label}{counts[key]}人" for key, label in DEPENDANTS if counts.get(key))
    rows.append(
        (
            Item("short", "控除対象配偶者", "有" if amounts.get("spouse") else "無"),
            Item("short", "扶養親族", dependants or "なし"),
        )
    )
    rows.append(
        (
            Item("number", "所得控除の合計", _yen(amounts["total"])),
            Item("number", "課税標準額", _yen(result["taxable_income"])),
        )
    )
    return rows


def _tax_rows(result: dict, latest) -> list[tuple]:
    """Each tax's 所得割 and 均等割, the 森林環境税 and the 年税額; 非課税 said in words."""
    Item = certificates.Item
    municipal_name, prefectural_name = tax_names(require_tenant().lg_code)
    rows = []
    for name, part in ((municipal_name, result["municipal"]), (prefectural_name, result["prefectural"])):
        rows.append(
            (
                Item("number", f"{name} 所得割", _yen(part["income_levy"])),
                Item("number", f"{name} 均等割", _yen(part["per_capita_levy"])),
                Item("number", f"{name} 計", _yen(part["total"])),
            )
        )
    rows.append(
        (
            Item("number", "森林環境税", _yen(result["forest_environment_tax"])),
            Item("number", "年税額", _yen(result["total"])),
        )
    )
    non_taxable = result["non_taxable"]
    if non_taxable["per_capita"] or non_taxable["income_levy"]:
        text = "均等割・所得割とも非課税" if non_taxable["per_capita"] else "所得割非課税"
        rows.append((Item("short", "課税区分", text),))
    if latest.reason == Reason.CORRECTION:
        rows.append((Item("history", "備考", f"更正後の税額です（第{latest.version}版）", wide=True),))
    return rows

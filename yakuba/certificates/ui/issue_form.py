"""The 証明書発行 form: what the clerk ticked and typed, turned into the door's request.

住民基本台帳法 第12条 (本人・同一世帯の者), 第12条の2 (公用), 第12条の3 (第三者, with its
請求事由); 第12条第5項 (items printed only when asked: 世帯主・続柄, 本籍・筆頭者, 住民票コード,
個人番号); 住民記録システム標準仕様書 §5 (証明). Items a role may not see are not offered
(§10.3); a refused rule comes back next to its input and in the summary at the top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yakuba.certificates.codes import Kind, Layout, Requester
from yakuba.certificates.services.content import TITLES, CertificateRequest
from yakuba.certificates.services.issuing import RequesterInfo
from yakuba.certificates.ui import access
from yakuba.platform.japanese.wareki import WarekiError, format_wareki, parse_wareki


@dataclass(frozen=True)
class Item:
    """A 記載事項 the clerk may tick: its request field, label and default."""

    name: str
    label: str
    default: bool


ITEMS = (
    Item("head_and_relationship", "世帯主の氏名・続柄", True),
    Item("domicile", "本籍・筆頭者", False),
    Item("juminhyo_code", "住民票コード", False),
    Item("my_number", "個人番号", False),
    Item("foreign_items", "外国人住民の項目（国籍・地域、在留資格 等）", True),
    Item("alias_history", "通称の履歴", False),
    Item("former_surname", "旧氏（併記）", True),
)
TEXT_LIMITS = {
    "requester_atena_no": 15,
    "requester_name": 100,
    "purpose": 200,
    "override_reason": 200,
    "fee_exempt_reason": 100,
    "as_of": 20,
}
# The door's error fields → the form's inputs (the first of a group takes the focus).
FIELDS = {
    "kind": "kind",
    "layout": "layout",
    "setai_no": "members",
    "atena_nos": "members",
    "include.my_number": "my_number",
    "requester.type": "requester_type",
    "requester.atena_no": "requester_atena_no",
    "requester.name": "requester_name",
    "requester.purpose": "purpose",
    "as_of": "as_of",
}
LABELS = {
    "kind": "証明書の種類",
    "layout": "様式",
    "members": "記載する人",
    "official_use": "公用",
    "requester_type": "請求者",
    "requester_atena_no": "請求者の宛名番号",
    "requester_name": "請求者の氏名",
    "purpose": "請求事由・利用目的",
    "override_reason": "支援措置の対象者に交付する理由",
    "fee_exempt_reason": "手数料免除の理由",
    "as_of": "基準日",
    **{item.name: item.label for item in ITEMS},
}


@dataclass(frozen=True)
class Member:
    atena_no: str
    name: str
    relationship: str
    protected: bool


class IssueForm:
    """Bound to the POST of the form (or empty, with the persons it was opened for)."""

    def __init__(self, data, *, roles, setai_no: str, members: list[Member], initial: dict | None = None):
        self.bound = data is not None
        data = data if data is not None else {}
        self.setai_no = setai_no
        self.subject = ""  # the person the form is for when no 世帯 is (a 除票)
        self.members = members
        self.offered = [item for item in ITEMS if self._may_offer(item.name, roles)]
        self.may_override = access.may_see_protected(roles)
        if self.bound:
            self.kind = data.get("kind", "")
            self.layout = data.get("layout", "")
            self.ticked = [a for a in data.getlist("atena") if a in {m.atena_no for m in members}]
            self.items = {item.name: data.get(item.name) == "1" for item in self.offered}
            self.official_use = data.get("official_use") == "1"
            self.requester_type = data.get("requester_type", "")
            self.fee_exempt = data.get("fee_exempt") == "1"
            self.text = {name: data.get(name, "").strip()[:limit] for name, limit in TEXT_LIMITS.items()}
        else:
            initial = initial or {}
            self.kind = initial.get("kind", Kind.JUMINHYO_COPY)
            self.layout = initial.get("layout", Layout.HOUSEHOLD)
            self.ticked = initial.get("ticked") or [m.atena_no for m in members]
            self.items = {item.name: item.default for item in self.offered}
            self.official_use = False
            self.requester_type = Requester.SELF if initial.get("requester") else ""
            self.fee_exempt = False
            self.text = dict.fromkeys(TEXT_LIMITS, "")
            self.text["requester_atena_no"] = initial.get("requester", "")
        self.as_of: date | None = None  # a past state (§5: 過去の記載), read by ``check``
        self.errors: dict[str, list[str]] = {}
        self.summary: list[dict] = []
        self.general: list[str] = []  # refusals that belong to no input (settings not registered)

    @staticmethod
    def _may_offer(name: str, roles) -> bool:
        vis = access.visibility(roles, my_number=True)
        return {
            "my_number": vis.my_number,
            "domicile": vis.domicile,
            "juminhyo_code": vis.juminhyo_code,
        }.get(name, True)

    # -- what the door gets -------------------------------------------------------------------

    def request(self) -> CertificateRequest:
        everyone = set(self.ticked) == {m.atena_no for m in self.members} and bool(self.setai_no)
        return CertificateRequest(
            kind=self.kind,
            layout=self.layout,
            setai_no=self.setai_no,
            atena_nos=() if everyone else tuple(self.ticked),
            official_use=self.official_use,
            as_of=self.as_of,
            **{item.name: self.items.get(item.name, False) for item in ITEMS},
        )

    def requester(self) -> RequesterInfo:
        own = self.requester_type in (Requester.SELF, Requester.HOUSEHOLD)
        return RequesterInfo(
            type=self.requester_type,
            atena_no=self.text["requester_atena_no"] if own else "",
            name="" if own else self.text["requester_name"],
            purpose=self.text["purpose"],
            override_reason=self.text["override_reason"] if self.may_override else "",
        )

    def fee_exempt_reason(self) -> str:
        return self.text["fee_exempt_reason"] if self.fee_exempt else ""

    def my_number_asked(self) -> bool:
        return self.items.get("my_number", False)

    def check(self) -> bool:
        """The form's own rules (the door checks everything else); True when none is broken."""
        errors = []
        if self.members and not self.ticked:
            errors.append(("members", "記載する人を1人以上選んでください"))
        if self.fee_exempt and not self.text["fee_exempt_reason"]:
            errors.append(("fee_exempt_reason", "手数料を免除する理由を入力してください"))
        if self.text["as_of"]:
            try:
                self.as_of = parse_wareki(self.text["as_of"])
            except WarekiError:
                errors.append(("as_of", "基準日は 2026-01-01 や R8.1.1 の形で入力してください"))
            else:
                if self.as_of > timezone.localdate():
                    errors.append(("as_of", "基準日には今日以前の日を入力してください"))
        self.add_errors(errors)
        return not errors

    def add_errors(self, errors) -> None:
        """Attach each (field, message) to its input; all go to the summary too."""
        for field, message in errors:
            if field == "settings":
                self.general.append(message)
                continue
            name = FIELDS.get(field, field)
            if name == "requester":  # 支援措置: the override reason is where a clerk can answer it
                name = "override_reason" if self.may_override else "requester_type"
            if name not in LABELS:
                name = "members"
            if name == "members" and not self.members:  # a re-issue: no persons to tick
                self.general.append(message)
                continue
            self.errors.setdefault(name, []).append(message)
            entry = {"id": self.input_id(name), "label": LABELS[name], "message": message}
            if entry not in self.summary:
                self.summary.append(entry)

    def input_id(self, name: str) -> str:
        if name == "layout":
            return f"f-layout-{self.layout or Layout.HOUSEHOLD.value}"
        if name == "requester_type":
            return f"f-requester-{self.requester_type or Requester.SELF.value}"
        if name == "members":
            return f"f-atena-{self.members[0].atena_no}" if self.members else "f-kind"
        return f"f-{name}"

    # -- for the templates --------------------------------------------------------------------

    def item_rows(self) -> list[dict]:
        return [
            {
                "name": i.name,
                "label": i.label,
                "checked": self.items.get(i.name),
                "errors": self.errors.get(i.name),
            }
            for i in self.offered
        ]

    def member_rows(self) -> list[dict]:
        return [{"m": m, "checked": m.atena_no in self.ticked} for m in self.members]

    def hidden(self) -> list[tuple[str, str]]:
        """The whole form as hidden inputs, for the 確認 page's 発行 and 修正 buttons."""
        pairs = [("kind", self.kind), ("layout", self.layout), ("requester_type", self.requester_type)]
        pairs += [("atena", a) for a in self.ticked]
        pairs += [(name, "1") for name, on in self.items.items() if on]
        pairs += [("official_use", "1")] if self.official_use else []
        pairs += [("fee_exempt", "1")] if self.fee_exempt else []
        pairs += [(name, value) for name, value in self.text.items() if value]
        return pairs

    def kind_options(self):
        """The registry's certificates (another app's kinds are issued from its own screens)."""
        return [(value, label) for value, label in Kind.choices if value in TITLES]

    def layout_options(self):
        return Layout.choices

    def requester_options(self):
        return Requester.choices

    def kind_label(self) -> str:
        return Kind(self.kind).label if self.kind in Kind.values else ""

    def as_of_label(self) -> str:
        return format_wareki(self.as_of) if self.as_of else ""

    def layout_label(self) -> str:
        return Layout(self.layout).label if self.layout in Layout.values else ""

    def requester_label(self) -> str:
        return Requester(self.requester_type).label if self.requester_type in Requester.values else ""

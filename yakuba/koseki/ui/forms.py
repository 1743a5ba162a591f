"""The 届書 on screen: one input per item of the kind's JSON (``services/forms.py``), built by the
platform's ``ModelForm`` from the pydantic model itself — so a kind added to the door is a screen
with nothing more than its words here (``WORDS``), and an error of the door (its field path)
lands under its input without a mapping table.
"""

from __future__ import annotations

import enum
import re
import typing

from django.utils import timezone
from pydantic import BaseModel

from yakuba.koseki.codes import Kind
from yakuba.koseki.services import forms
from yakuba.platform.ui.model_form import Field, ModelForm

# The kinds the 戸籍係 enters on screen, each its 届書 model (the door's own union).
MODELS: dict[str, type[BaseModel]] = {
    typing.get_args(m.model_fields["kind"].annotation)[0]: m
    for m in typing.get_args(typing.get_args(forms.Form)[0])
}
KINDS = [(k, Kind(k).label) for k in Kind.values if k in MODELS]

# Each item's words, by its last path segment (the same item reads the same in every kind), and
# the words of the choices of a Literal.
WORDS = {
    "filed_on": "届出日",
    "given_name": "名",
    "given_name_kana": "名の振り仮名",
    "surname": "氏",
    "surname_kana": "氏の振り仮名",
    "sex": "性別",
    "birth_date": "生年月日",
    "abroad": "外国で発生した（届出期間3か月）",
    "legitimate": "嫡出子（父母が婚姻中）",
    "mother_id": "母の個人ID",
    "father_id": "父の個人ID",
    "relationship": "続柄",
    "new_honseki": "新本籍",
    "atena_no": "宛名番号（この市町村の住民のとき）",
    "proof_of_use": "読み方を現に使用していることを証する書面がある",
    "reading_checked": "読み方を確認した",
    "husband": "夫",
    "wife": "妻",
    "person_id": "個人ID（この市町村に本籍のある方）",
    "person": "本籍が他の市町村の方",
    "father": "父（本籍が他の市町村の方）",
    "person.father": "父の氏名",
    "father.father": "父の氏名",
    "mother": "母の氏名",
    "court_finalised_on": "裁判の確定日（裁判離婚・裁判認知のとき）",
    "person.mother": "母の氏名",
    "members.father": "父の氏名",
    "members.mother": "母の氏名",
    "husband.person": "夫（本籍が他の市町村の方）",
    "wife.person": "妻（本籍が他の市町村の方）",
    "from_koseki": "従前の戸籍（本籍と筆頭者）",
    "surname_of": "婚姻後の夫婦の氏",
    "husband_id": "夫の個人ID",
    "wife_id": "妻の個人ID",
    "restore_former": "婚姻前の戸籍に戻る",
    "keep_surname": "婚氏続称（民法767条2項）",
    "died_on": "死亡日",
    "known_on": "死亡の事実を知った日",
    "koseki_id": "戸籍ID",
    "to_lg_code": "新本籍の市区町村コード（6桁）",
    "filer_ids": "届出人の個人ID（筆頭者・配偶者、「,」区切り）",
    "parent_id": "入籍する親の個人ID",
    "permission": "家庭裁判所の許可がある（父母の婚姻中は不要）",
    "part": "届け出る振り仮名",
    "filer_id": "届出人の個人ID",
    "filer": "届出人の資格",
    "reading": "振り仮名",
    "court_permission": "家庭裁判所の許可がある",
    "adoptee_id": "養子の個人ID",
    "adopter_ids": "養親の個人ID（夫婦で縁組するときは2人、「,」区切り）",
    "spouse_consent": "配偶者の同意がある（民法796条）",
    "proxy": "代諾者・離縁後の法定代理人の氏名",
    "child_id": "子の個人ID",
    "child_consent": "成年の子の承諾がある（民法782条）",
    "from_honseki": "従前の本籍（他の市町村からの転籍）",
    "hittosha": "筆頭者の氏名（筆頭者が除籍されているとき）",
    "members": "転籍する戸籍の在籍者",
    "role": "身分",
    "adoptive_father": "養父の氏名",
    "adoptive_mother": "養母の氏名",
    "adoptive_relationship": "養親との続柄",
    "entered_on": "入籍の日",
    "members.filer": "届書に署名した（届出人）",
    "guardian": "法定代理人",
    "self": "本人",
    "male": "男",
    "female": "女",
}
HINTS = {
    "filed_on": "西暦（2026-04-01）又は和暦（R8.4.1）",
    "new_honseki": "新しい戸籍を作るときに必要",
    "person_id": "10桁",
    "known_on": "空欄のときは死亡日",
    "relationship": "空欄のときは母の子の数から（長男・長女…）",
}


class _Words(dict):
    """Words looked up by a path without its row numbers (``members.filer``), else by its last
    two items (``husband.person``), else its last (``husband.person.surname`` → 氏)."""

    def get(self, key, default=None):
        parts = re.sub(r"\[\d+\]", "", key).split(".")
        for tail in (parts, parts[-2:], parts[-1:]):
            if ".".join(tail) in self:
                return self[".".join(tail)]
        return default


class _Ids(Field):
    """A list of 10-digit ids typed in one input: kept as strings (leading zeros)."""

    def read(self, errors):
        return re.split(r"[,、\s]+", self.value.strip()) if self.value else None


class NotificationForm(ModelForm):
    """A 届書 of one kind: the model's items less its ``kind``; enumerations as choices."""

    def __init__(self, kind: str, data=None):
        super().__init__(
            MODELS[kind],
            data,
            labels=_Words(WORDS),
            hints=_Words(HINTS),
            left_out=frozenset({"kind"}),
            rows={"members": 6},  # a 戸籍 moving here: up to six of its members on one screen
            values={"filed_on": timezone.localdate()},  # a new 届書 is filed today
        )
        self.kind = kind

    def _field(self, name, label, annotation, info):
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            default = info.default.value if isinstance(info.default, enum.Enum) else None
            options = tuple(
                (m.value, getattr(m, "label", None) or WORDS.get(m.value, m.value)) for m in annotation
            )
            if default is None:
                options = (("", "選んでください"), *options)
            return Field(
                name,
                label,
                "select",
                default=default,
                options=options,
                hint=self._hints.get(name, ""),
                required=info.is_required(),
            )
        if typing.get_origin(annotation) is list:
            return _Ids(name, label, "numbers", hint=self._hints.get(name, ""), required=info.is_required())
        return super()._field(name, label, annotation, info)

    def payload(self):
        body, errors = super().payload()
        return {"kind": self.kind, **body}, errors

    def hidden(self) -> list[tuple[str, str]]:
        """(name, value) of every input given, to carry the 届書 from the 確認 page to the 受理."""
        return [(f.name, f.value) for f in self.fields.values() if f.value]

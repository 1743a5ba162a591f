"""The 届書 of each kind as the door takes it (docs/koseki.md "届書"): one JSON object whose
``kind`` picks the form. A schema error is the field's path and a Japanese message, nothing kept
(the clerk corrects the input); what the law refuses is a 不受理, kept with its reasons
(``notifications.py``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from yakuba.koseki.codes import Role, Sex
from yakuba.koseki.rules.furigana import Filer
from yakuba.platform import schema_errors

Name = Annotated[str, Field(min_length=1, max_length=50)]
Honseki = Annotated[str, Field(max_length=200)]
Number = Annotated[str, Field(pattern=r"^\d{10}$")]  # a person_id or koseki_id
AtenaNo = Annotated[str, Field(pattern=r"^\d{0,15}$")]  # the registry's 宛名番号 of a resident here


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Person(_Form):
    """Someone whose 戸籍 is not kept here (a spouse from another 本籍地), as the 届書 gives them."""

    surname: Name
    given_name: Name
    surname_kana: str = ""
    given_name_kana: str = ""
    birth_date: date
    sex: Sex
    father: str = ""
    mother: str = ""
    relationship: Annotated[str, Field(min_length=1, max_length=10)]
    from_koseki: Annotated[str, Field(min_length=1, max_length=300)]  # 本籍 and 筆頭者 of their 戸籍
    atena_no: AtenaNo = ""


class Party(_Form):
    """A spouse: a person of a 戸籍 kept here (``person_id``) or one from elsewhere (``person``)."""

    person_id: Number | None = None
    person: Person | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.person_id is None) == (self.person is None):
            raise PydanticCustomError("party", "person_id か person のどちらか一方を指定してください")
        return self


class Birth(_Form):
    kind: Literal["birth"]
    filed_on: date
    given_name: Name
    given_name_kana: Annotated[str, Field(max_length=100)] = ""  # required from 2025-05-26
    sex: Sex
    birth_date: date
    abroad: bool = False
    legitimate: bool = True  # 嫡出子 (born to a married couple) or 嫡出でない子
    mother_id: Number
    father_id: Number | None = None
    relationship: str = ""  # 続柄; counted from the mother's children when empty
    new_honseki: Honseki = ""  # where a new 戸籍 is made for the mother (三代戸籍)
    atena_no: AtenaNo = ""
    proof_of_use: bool = False
    reading_checked: bool = False


class Marriage(_Form):
    kind: Literal["marriage"]
    filed_on: date
    husband: Party
    wife: Party
    surname_of: Literal["husband", "wife"]  # 夫の氏 / 妻の氏 (民法750条)
    new_honseki: Honseki = ""


class Divorce(_Form):
    kind: Literal["divorce"]
    filed_on: date
    husband_id: Number
    wife_id: Number
    restore_former: bool = True  # back to the former 戸籍 (False: a new 戸籍)
    keep_surname: bool = False  # 婚氏続称 (民法767条2項)
    new_honseki: Honseki = ""
    court_finalised_on: date | None = None  # 裁判離婚: the day the decision became final (法77条)


class Death(_Form):
    kind: Literal["death"]
    filed_on: date
    person_id: Number
    died_on: date
    known_on: date | None = None  # when the 届出義務者 learned of it (法86条); the death by default
    abroad: bool = False


class Incoming(_Form):
    """A person still in a 戸籍 that moves here from another 本籍地, as the 転籍届 (with the 戸籍
    証明書 of the old 本籍地) gives them."""

    role: Role
    given_name: Name
    given_name_kana: str = ""
    birth_date: date
    sex: Sex
    father: str = ""
    mother: str = ""
    relationship: Annotated[str, Field(min_length=1, max_length=10)]
    adoptive_father: str = ""
    adoptive_mother: str = ""
    adoptive_relationship: str = ""
    entered_on: date  # when they entered the 戸籍 (kept by the 転籍)
    atena_no: AtenaNo = ""
    filer: bool = False  # signed the 届書


class Transfer(_Form):
    """転籍届: a 戸籍 of this town (``koseki_id``) moves to ``new_honseki``; or a 戸籍 of another
    town (``from_honseki``, ``surname``, ``members``) moves here."""

    kind: Literal["transfer"]
    filed_on: date
    koseki_id: Number | None = None
    new_honseki: Annotated[str, Field(min_length=1, max_length=200)]
    to_lg_code: Annotated[str, Field(pattern=r"^\d{6}$")]  # the municipality of the new 本籍
    filer_ids: Annotated[list[Number], Field(max_length=2)] = []  # 筆頭者 and 配偶者 (108条)
    from_honseki: Honseki = ""  # 従前本籍 (coming here)
    surname: Annotated[str, Field(max_length=50)] = ""
    surname_kana: Annotated[str, Field(max_length=100)] = ""
    hittosha: Annotated[str, Field(max_length=100)] = ""  # when the 筆頭者 is no longer in it
    members: Annotated[list[Incoming], Field(max_length=100)] = []


class Entry(_Form):
    kind: Literal["entry"]
    filed_on: date
    person_id: Number
    parent_id: Number
    permission: bool = False  # 家庭裁判所の許可 (民法791条1項・3項) or 父母の婚姻中 (2項)
    new_honseki: Honseki = ""


class Furigana(_Form):
    kind: Literal["furigana"]
    filed_on: date
    part: Literal["surname", "given_name"]
    person_id: Number  # whose 名 (or, for the 氏, a member of the 戸籍)
    filer_id: Number
    filer: Filer = Filer.SELF
    reading: Annotated[str, Field(min_length=1, max_length=100)]
    proof_of_use: bool = False
    court_permission: bool = False
    reading_checked: bool = False


class Adoption(_Form):
    """養子縁組届: one 養子 (``adoptee_id`` here or ``adoptee`` from elsewhere) and one 養親, or a
    couple of 養親 (both of a 戸籍 here)."""

    kind: Literal["adoption"]
    filed_on: date
    adoptee_id: Number | None = None  # in a 戸籍 here
    adoptee: Person | None = None  # unmarried, of a 戸籍 elsewhere: enters the 養親's 戸籍 here
    adopter_ids: Annotated[list[Number], Field(min_length=1, max_length=2)]
    court_permission: bool = False  # 家庭裁判所の許可 (民法798条)
    spouse_consent: bool = False  # 配偶者の同意 (796条)
    proxy: Annotated[str, Field(max_length=100)] = ""  # 代諾者 of a child under 15 (797条)
    new_honseki: Honseki = ""


class Dissolution(_Form):
    """養子離縁届 (協議離縁): with both 養親 of a couple, or one (``adopter_ids``)."""

    kind: Literal["dissolve"]
    filed_on: date
    adoptee_id: Number
    adopter_ids: Annotated[list[Number], Field(min_length=1, max_length=2)]
    restore_former: bool = True  # back to the 戸籍 before the 縁組 (False: a new 戸籍)
    keep_surname: bool = False  # 縁氏続称 (民法816条2項)
    proxy: Annotated[str, Field(max_length=100)] = ""  # 離縁後の法定代理人 (811条2項)
    new_honseki: Honseki = ""


class Acknowledgement(_Form):
    """認知届 (任意認知): the father of a 戸籍 here (``father_id``) or from elsewhere (``father``)."""

    kind: Literal["acknowledge"]
    filed_on: date
    child_id: Number
    father_id: Number | None = None
    father: Person | None = None
    child_consent: bool = False  # 成年の子の承諾 (民法782条)
    court_finalised_on: date | None = None  # 裁判認知: the day the decision became final (法63条)


class Division(_Form):
    """分籍届: a new 戸籍 for one person, here or in another town (``to_lg_code``)."""

    kind: Literal["division"]
    filed_on: date
    person_id: Number
    new_honseki: Annotated[str, Field(min_length=1, max_length=200)]
    to_lg_code: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None  # default: this town


class SurnameChange(_Form):
    """氏の変更届 (戸籍法107条1項): the whole 戸籍 takes the new 氏."""

    kind: Literal["surname"]
    filed_on: date
    koseki_id: Number
    surname: Name
    surname_kana: Annotated[str, Field(max_length=100)] = ""  # required from 2025-05-26
    court_permission: bool = False
    filer_ids: Annotated[list[Number], Field(min_length=1, max_length=2)]
    proof_of_use: bool = False
    reading_checked: bool = False


class GivenNameChange(_Form):
    """名の変更届 (戸籍法107条の2): one person's 名."""

    kind: Literal["given_name"]
    filed_on: date
    person_id: Number
    given_name: Name
    given_name_kana: Annotated[str, Field(max_length=100)] = ""  # required from 2025-05-26
    court_permission: bool = False
    filer: Filer = Filer.SELF
    proof_of_use: bool = False
    reading_checked: bool = False


Form = Annotated[
    Birth
    | Marriage
    | Divorce
    | Death
    | Transfer
    | Entry
    | Furigana
    | Adoption
    | Dissolution
    | Acknowledgement
    | Division
    | SurnameChange
    | GivenNameChange,
    Field(discriminator="kind"),
]
_ADAPTER = TypeAdapter(Form)
schema_errors.register_union(Form)  # the kind is the union's branch, not a field


class Invalid(ValueError):
    """The 届書 cannot be examined as given: every (field, message) at once; nothing is kept."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


def parse(data: dict) -> Form:
    """The typed 届書, or ``Invalid`` with the path and Japanese message of each error."""
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise Invalid([(_field(e), schema_errors.message(e)) for e in error.errors()]) from None


def _field(error) -> str:
    """The field's path; an unknown or missing ``kind`` is the ``kind`` field's error."""
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return "kind"
    return schema_errors.path(error["loc"], tagged=True)

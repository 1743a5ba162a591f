"""The 選挙人名簿's codes (contract §9.7; civil-facts §1.1)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    TEIJI = "teiji", "定時登録"
    ELECTION = "election", "選挙時登録"


class Status(models.TextChoices):
    """An entry's state on a day (§9.7 ``status``); a struck-off entry is not listed."""

    REGISTERED = "registered", "登録"
    MARKED_MOVED_OUT = "marked_moved_out", "表示（転出）"
    MARKED_LOST_SUFFRAGE = "marked_lost_suffrage", "表示（選挙権を有しない旨）"


class Change(models.TextChoices):
    REGISTERED = "registered", "登録"
    MARKED = "marked", "表示"
    UNMARKED = "unmarked", "表示の消除"
    MOVED = "moved", "投票区の変更"
    STRUCK_OFF = "struck_off", "抹消"


class Basis(models.TextChoices):
    """登録の根拠 (公職選挙法21条): the ordinary registration, or the 旧住所地 registration of a
    person who moved out less than four months before (21条2項, since 2016-06-19)."""

    RESIDENT = "resident", "住所地（第21条第1項）"
    FORMER_ADDRESS = "former_address", "旧住所地（第21条第2項）"


class LostSuffrage(models.TextChoices):
    """Why a registered person has no 選挙権, recorded with the 表示 of 法27条1項: 公職選挙法11条1項
    (https://iuris.jp/公職選挙法-第十一条-選挙権及び被選挙権を有しない者/jpn/a/21739; 1号 was deleted
    in 2013), 252条 and 政治資金規正法28条 (civil-facts §1.1). The 選管 learns it from the 検察庁's
    既決犯罪通知 or the 本籍地."""

    SENTENCE = (
        "sentence",
        "禁錮以上の刑に処せられその執行を終わるまで又は執行を受けることがなくなるまでの者（第11条第1項第2号・第3号）",
    )
    BRIBERY = "bribery", "公職にある間に犯した収賄罪等により刑に処せられた者（第11条第1項第4号）"
    ELECTION_CRIME = (
        "election_crime",
        "選挙等に関する犯罪により禁錮以上の刑に処せられその刑の執行猶予中の者（第11条第1項第5号）",
    )
    SUSPENDED = "suspended", "選挙犯罪により選挙権を停止された者（第252条）"
    POLITICAL_FUNDS = "political_funds", "政治資金規正法違反により選挙権を停止された者（同法第28条）"


class StruckOff(models.TextChoices):
    """抹消の事由 (公職選挙法28条)."""

    DIED = "died", "死亡"
    NATIONALITY_LOST = "nationality", "国籍喪失"
    MOVED_OUT = "moved_out", "転出後4か月経過"
    WRONG = "wrong", "登録されるべきでなかった者（告示）"


class ViewingPurpose(models.TextChoices):
    """閲覧の目的 allowed by 公職選挙法28条の2〜28条の4 (civil-facts §1.6); nothing else is."""

    CHECK = "check", "特定の者が登録されているかの確認"
    POLITICAL = "political", "公職の候補者等・政党その他の政治団体の政治活動（選挙運動を含む）"
    RESEARCH = "research", "政治・選挙に関する統計調査・世論調査・学術研究"


class ViewingDecision(models.TextChoices):
    PENDING = "pending", "審査中"
    ALLOWED = "allowed", "承認"
    REFUSED = "refused", "不承認"

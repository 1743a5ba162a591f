"""届出人 and 本人確認 of a 異動 (住民基本台帳法 第26条・第27条).

A 届出 (転入, 転出, 転居, 世帯の変更: 法 第22条〜第25条) is filed by the person, by the 世帯主 or a
世帯員 for the others (第26条), or by a 代理人 with a 委任状; the clerk checks the identity of
whoever stands at the counter (第27条第2項, 施行規則 第9条の2). A 転出届 may also come by post
(施行令 第23条 as municipalities apply it); the other 届出 need the person at the counter.
職権 異動 and those notified from 戸籍 (出生, 死亡) have no 届出人 of their own.
"""

from __future__ import annotations

from yakuba.registry.codes import NOTIFIED_KINDS, Channel, MoveKind, NotifierKind
from yakuba.registry.services.move_work import Work

MISSING = "届出人が記録されていません（届出人と本人確認書類を記録してください）"


def check_notifier(work: Work) -> None:
    """The 届出人 items are complete and consistent; a 届出 without them is recorded with a
    warning (clients that migrate or batch-load 異動 may not have them)."""
    notifier = work.request.notifier
    if notifier is None:
        if work.kind in NOTIFIED_KINDS:
            work.warnings.append(MISSING)
        return
    add = work.errors.add
    if notifier.kind is None:
        add("notifier.kind", "届出人の区分（本人・世帯主・世帯員・代理人）を選んでください")
    elif notifier.kind != NotifierKind.SELF and not notifier.name.strip():
        add("notifier.name", "届出人の氏名を入力してください")
    if notifier.kind == NotifierKind.AGENT and not notifier.power_of_attorney:
        add("notifier.power_of_attorney", "代理人による届出には委任状が必要です")
    if notifier.identity_document is None:
        add("notifier.identity_document", "本人確認書類を選んでください（住民基本台帳法 第27条）")
    if notifier.channel == Channel.POST and work.kind != MoveKind.MOVE_OUT:
        add("notifier.channel", "郵送で届け出られるのは転出届だけです。窓口での届出を記録してください")

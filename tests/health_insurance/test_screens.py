"""国保 staff screens: 照会 (a 国保世帯, each member's 資格 history with 訂正 rows struck through,
every stored premium), 計算の内訳, the work lists (keyset pages in a fixed number of queries), the
加入届・脱退届・訂正・対象外 forms with their 確認 step and audit rows, errors on their field with
nothing written, the home page's counts; other roles get 403; a person under 支援措置 does not
exist here (as on the registry's screens for this role) and the attempt is audited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import AIZU
from tests.health_insurance.conftest import CHILD_REARING, RATES, THRESHOLDS_R8
from tests.registry.ui.test_screens import protect, staff_client
from yakuba.health_insurance import services as kokuho
from yakuba.health_insurance.codes import Change, LostReason, WorkKind, WorkStatus
from yakuba.health_insurance.models import KokuhoHousehold, Member, PremiumAssessment, Qualification, WorkItem
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.tenancy.context import tenant_context
from yakuba.registry import services as registry
from yakuba.registry.generate import generate_population

pytestmark = pytest.mark.django_db
YEAR = 2026
SEEDED = date(2026, 3, 1)
FILE = {"rates": {"child_rearing": CHILD_REARING, **RATES}, "reduction_thresholds": THRESHOLDS_R8}


@pytest.fixture
def town(aizu, system_actor):
    """A generated town, everyone under 75 enrolled (事由 移行), the 2026 本算定 run."""
    with tenant_context(AIZU):
        generate_population(120, seed=11, as_of=date(2025, 12, 1))
    kokuho.seed_insured(AIZU, SEEDED)
    kokuho.annual.run_annual(AIZU, YEAR, rates=FILE)
    with tenant_context(AIZU):
        for row in PremiumAssessment.objects.filter(total__gt=0).order_by("setai_no"):
            members = list(
                Member.objects.filter(setai_no=row.setai_no, insured=True)
                .order_by("atena_no")
                .values_list("atena_no", flat=True)
            )
            if len(members) >= 3:  # a 世帯 of three insured or more
                return row, members
    raise AssertionError("no 国保世帯 of three in the test town")


@pytest.fixture
def clerk(town):
    return staff_client("hoken", ["insurance"])


def _text(response) -> str:
    return response.content.decode()


def _audited(resource: str, atena_no: str, action: str = "read") -> bool:
    with tenant_context(AIZU):
        return AuditEntry.objects.filter(
            resource=resource, action=action, subject_ids__contains=[atena_no]
        ).exists()


def _waiting(atena_nos: list[str], kind: str = WorkKind.ENROLMENT) -> list[int]:
    """Open work items for these persons (as the feed consumer leaves them)."""
    with tenant_context(AIZU):
        setai = dict(Member.objects.filter(atena_no__in=atena_nos).values_list("atena_no", "setai_no"))
        items = WorkItem.objects.bulk_create(
            [
                WorkItem(
                    lg_code=AIZU,
                    kind=kind,
                    atena_no=a,
                    setai_no=setai.get(a, ""),
                    due_on=date(2026, 4, 1) + timedelta(days=i % 20),
                    created_at=timezone.now(),
                )
                for i, a in enumerate(atena_nos)
            ]
        )
    return [i.id for i in items]


def test_every_screen_is_for_the_insurance_role_only(town, clerk):
    row, members = town
    (item,) = _waiting(members[:1], WorkKind.AGE_75)
    urls = [
        "/health_insurance/",
        f"/health_insurance/?setai_no={row.setai_no}",
        f"/health_insurance/premium/?setai_no={row.setai_no}&fiscal_year={YEAR}&version=1",
        *(f"/health_insurance/work/?kind={k}" for k in WorkKind.values),
        f"/health_insurance/work/close/?item={item}",
        f"/health_insurance/withdraw/?atena_no={members[0]}",
        f"/health_insurance/correct/?atena_no={members[0]}",
    ]
    counter = staff_client("madoguchi", ["counter"])
    for url in urls:
        assert clerk.get(url).status_code == 200, url
        assert counter.get(url).status_code == 403, url  # 国保 records are the 保険年金課's (access.py)
    assert (
        counter.post("/health_insurance/withdraw/?atena_no=" + members[0], {"_step": "apply"}).status_code
        == 403
    )
    assert "国民健康保険" in _text(clerk.get("/"))  # the menu entry
    assert 'href="/health_insurance/"' not in _text(counter.get("/"))


def test_the_lookup_shows_the_household_its_history_and_every_premium_audited(town, clerk):
    row, members = town
    with tenant_context(AIZU):
        names = registry.names_of(members)
        head = KokuhoHousehold.objects.get(setai_no=row.setai_no)
    text = _text(clerk.get(f"/health_insurance/?atena_no={members[-1]}"))  # found through a member
    assert f"世帯番号 {row.setai_no}" in text and all(names[a] in text for a in members)
    assert ("擬制世帯主" if head.pseudo_head else "世帯主") in text
    assert "移行（初期登録）" in text and "2026-03-01" in text  # 取得, 事由 in Japanese, the date
    assert f"{row.total:,}" in text and f"{row.medical:,}" in text and "本算定" in text
    month, amount = row.installments[0]
    assert f"{month}：{amount:,}円" in text
    assert _audited("health_insurance.household", members[0])
    assert "数字で" in _text(clerk.get("/health_insurance/?setai_no=abc"))
    missing = clerk.get("/health_insurance/?setai_no=999999999")
    assert missing.status_code == 404 and "国保世帯は見つかりません" in _text(missing)


def test_the_calculation_is_explained_part_by_part(town, clerk):
    row, _members = town
    text = _text(
        clerk.get(f"/health_insurance/premium/?setai_no={row.setai_no}&fiscal_year={YEAR}&version=1")
    )
    medical = re.search(r'id="part-medical">(.*?)</section>', text, re.S).group(1)
    assert (
        f"医療分　{row.medical:,}円" in medical
        and "医療分 均等割" in medical
        and "後期高齢者支援金等分" not in medical
    )
    assert "子ども・子育て支援納付金分" in text and f"年額: {row.total:,}円" in text
    assert "軽減判定" in text
    assert _audited("health_insurance.premium", row.head_atena_no)
    gone = clerk.get(f"/health_insurance/premium/?setai_no={row.setai_no}&fiscal_year={YEAR}&version=9")
    assert gone.status_code == 404 and "第9版の保険税はありません" in _text(gone)


def test_a_page_of_fifty_work_items_costs_a_fixed_number_of_queries(
    town, clerk, django_assert_max_num_queries
):
    with tenant_context(AIZU):
        people = list(Member.objects.order_by("atena_no").values_list("atena_no", flat=True)[:60])
    _waiting(people[:3])
    with CaptureQueriesContext(connection) as few:
        assert "未処理 3 件" in _text(clerk.get("/health_insurance/work/?kind=enrolment"))
    _waiting(people[3:])
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = _text(clerk.get("/health_insurance/work/?kind=enrolment"))
    assert "未処理 60 件" in first and first.count("/health_insurance/work/enrol/?item=") == 50
    after = re.search(r'href="(/health_insurance/work/\?kind=enrolment&amp;after=[\d-]+\.\d+)"', first).group(
        1
    )
    rest = _text(clerk.get(after.replace("&amp;", "&")))
    assert rest.count("/health_insurance/work/enrol/?item=") == 10 and "最初から" in rest
    with tenant_context(AIZU):
        names = registry.names_of(people)
    assert all(names[a] in first + rest for a in people)


def test_enrolment_through_the_form_after_its_confirmation(town, clerk):
    _row, members = town
    who = members[0]
    with tenant_context(AIZU):
        kokuho.withdraw(who, date(2026, 4, 1), LostReason.JOINED_EMPLOYEE_INSURANCE, date(2026, 4, 2))
    (item,) = _waiting([who])
    url = f"/health_insurance/work/enrol/?item={item}"
    form = _text(clerk.get(url))
    assert format_wareki(date(2026, 4, 1)) in form  # 転入日 offered
    body = {"effective_on": "R8.5.1", "reason": "left_employee", "notified_on": "R8.5.7"}
    confirm = clerk.post(url, {**body, "_step": "confirm"})
    assert (
        "加入を登録する" in _text(confirm)
        and "令和8年5月1日" in _text(confirm)
        and "社保離脱" in _text(confirm)
    )
    with tenant_context(AIZU):
        assert not Qualification.objects.filter(atena_no=who, effective_on=date(2026, 5, 1)).exists()
    done = clerk.post(url, {**body, "_step": "apply"})
    assert done.status_code == 302 and done["Location"] == "/health_insurance/work/?kind=enrolment"
    with tenant_context(AIZU):
        row = Qualification.objects.get(atena_no=who, effective_on=date(2026, 5, 1))
        assert (row.change, row.reason, row.notified_on) == (
            Change.ACQUIRED,
            "left_employee",
            date(2026, 5, 7),
        )
        assert WorkItem.objects.get(id=item).status == WorkStatus.DONE
        assert AuditEntry.objects.filter(
            resource="health_insurance.qualification",
            action="update",
            subject_ids=[who],
            detail__via="加入届",
        ).exists()
    assert clerk.get(url).status_code == 404  # the item is done


def test_a_bad_date_is_refused_on_its_field_and_nothing_is_written(town, clerk):
    _row, members = town
    who = members[0]
    url = f"/health_insurance/withdraw/?atena_no={who}"
    with tenant_context(AIZU):
        before = Qualification.objects.count(), AuditEntry.objects.filter(action="update").count()
    for bad, message in (("R8.2.30", "日付として読めません"), ("", "資格喪失日を入力してください")):
        response = clerk.post(
            url, {"effective_on": bad, "reason": "joined_employee", "notified_on": "R8.4.1", "_step": "apply"}
        )
        text = _text(response)
        assert response.status_code == 422
        field = re.search(r'id="wrap-f-effective-on">.*?</div>', text, re.S).group(0)
        assert message in field and 'aria-invalid="true"' in field
        assert message not in re.search(r'id="wrap-f-notified-on">.*?</div>', text, re.S).group(0)
    tomorrow = format_wareki(timezone.localdate() + timedelta(days=1))
    late = _text(
        clerk.post(
            url,
            {
                "effective_on": "R8.4.1",
                "reason": "joined_employee",
                "notified_on": tomorrow,
                "_step": "confirm",
            },
        )
    )
    assert "届出日は今日以前の日付です" in re.search(r'id="wrap-f-notified-on">.*?</div>', late, re.S).group(
        0
    )
    # a rule of the door (届出日 before 取得日) lands on its field too
    with tenant_context(AIZU):
        kokuho.withdraw(who, date(2026, 4, 1), LostReason.JOINED_EMPLOYEE_INSURANCE, date(2026, 4, 2))
    (item,) = _waiting([who])
    early = clerk.post(
        f"/health_insurance/work/enrol/?item={item}",
        {"effective_on": "R8.5.1", "reason": "move_in", "notified_on": "R8.4.20", "_step": "apply"},
    )
    assert early.status_code == 422
    assert "届出日が取得日より前です" in re.search(
        r'id="wrap-f-notified-on">.*?</div>', _text(early), re.S
    ).group(0)
    with tenant_context(AIZU):
        assert Qualification.objects.count() == before[0] + 1  # the withdraw above only
        assert AuditEntry.objects.filter(action="update").count() == before[1] + 1


def test_withdrawal_and_correction_through_the_forms(town, clerk):
    row, members = town
    who = members[0]
    url = f"/health_insurance/withdraw/?atena_no={who}"
    body = {"effective_on": "R8.6.1", "reason": "joined_employee", "notified_on": "R8.6.3"}
    assert "喪失を登録する" in _text(clerk.post(url, {**body, "_step": "confirm"}))
    back = _text(clerk.post(url, {**body, "_step": "edit"}))
    assert 'value="R8.6.1"' in back  # back from the 確認 with what was typed
    done = clerk.post(url, {**body, "_step": "apply"})
    assert done.status_code == 302 and done["Location"] == f"/health_insurance/?setai_no={row.setai_no}"
    with tenant_context(AIZU):
        lost = Qualification.objects.get(atena_no=who, change=Change.LOST)
        assert (lost.effective_on, lost.reason) == (date(2026, 6, 1), "joined_employee")
        assert not Member.objects.get(atena_no=who).insured
    assert _audited("health_insurance.qualification", who, "update")

    fix = f"/health_insurance/correct/?atena_no={who}&row={lost.id}"
    form = _text(clerk.get(fix))
    assert f'value="{lost.id}" selected' in form and "喪失 令和8年6月1日（社保加入）" in form
    empty = clerk.post(fix, {"row": lost.id, "note": "", "_step": "apply"})
    assert empty.status_code == 422 and "訂正の理由を入力してください" in _text(empty)
    done = clerk.post(fix, {"row": lost.id, "note": "別人の届出と取り違え", "_step": "apply"})
    assert done.status_code == 302
    with tenant_context(AIZU):
        assert Qualification.objects.filter(corrects=lost.id, change=Change.CORRECTED).exists()
        assert Member.objects.get(atena_no=who).insured
        assert AuditEntry.objects.filter(
            resource="health_insurance.qualification", detail__reason="別人の届出と取り違え"
        ).exists()
    page = _text(clerk.get(f"/health_insurance/?setai_no={row.setai_no}"))
    assert "<del>喪失</del>" in page and "訂正により取消" in page and f"記録 {lost.id} の訂正" in page
    again = clerk.post(fix, {"row": lost.id, "note": "もう一度", "_step": "apply"})
    assert again.status_code == 422  # a voided row is no longer offered


def test_an_item_closed_as_not_due_leaves_the_list_with_its_reason(town, clerk):
    _row, members = town
    (item,) = _waiting(members[:1])
    url = f"/health_insurance/work/close/?item={item}"
    assert "対象外（社保加入済み等）" in _text(clerk.get(url))
    done = clerk.post(url, {"note": "勤務先の保険証を確認", "_step": "apply"})
    assert done.status_code == 302
    with tenant_context(AIZU):
        assert WorkItem.objects.get(id=item).status == WorkStatus.DONE
        assert AuditEntry.objects.filter(
            detail__closed="勤務先の保険証を確認", subject_ids=[members[0]]
        ).exists()
    assert "未処理 0 件" in _text(clerk.get("/health_insurance/work/?kind=enrolment"))


def test_a_protected_person_is_not_shown(town, clerk):
    row, members = town
    with tenant_context(AIZU):
        names = registry.names_of(members)
    member = next(a for a in members if a != row.head_atena_no)
    _waiting([member])
    protect(member)
    by_person = clerk.get(f"/health_insurance/?atena_no={member}")
    assert by_person.status_code == 404 and names[member] not in _text(by_person)
    household = _text(clerk.get(f"/health_insurance/?setai_no={row.setai_no}"))
    assert member not in household and names[member] not in household
    work = _text(clerk.get("/health_insurance/work/?kind=enrolment"))
    assert member not in work and names[member] not in work
    assert clerk.get(f"/health_insurance/withdraw/?atena_no={member}").status_code == 404
    with tenant_context(AIZU):
        refused = AuditEntry.objects.filter(
            resource="health_insurance.household", subject_ids__contains=[member]
        )
        assert any(e.detail.get("refused") == "protected" for e in refused)
    protect(row.head_atena_no)  # a 世帯 whose head is protected does not exist
    assert clerk.get(f"/health_insurance/?setai_no={row.setai_no}").status_code == 404
    premium = clerk.get(f"/health_insurance/premium/?setai_no={row.setai_no}&fiscal_year={YEAR}&version=1")
    assert premium.status_code == 404 and f"{row.total:,}" not in _text(premium)


def test_the_home_page_counts_the_open_items_and_links_to_their_lists(
    town, clerk, django_assert_max_num_queries
):
    _row, members = town
    _waiting(members[:2])
    _waiting(members[:1], WorkKind.AGE_75)
    text = _text(clerk.get("/"))
    assert (
        "国保 加入届の確認待ち" in text
        and "2件" in text
        and 'href="/health_insurance/work/?kind=enrolment"' in text
    )
    assert (
        "国保 75歳到達（後期高齢者医療へ）" in text and 'href="/health_insurance/work/?kind=review"' in text
    )
    with CaptureQueriesContext(connection) as few:
        clerk.get("/")
    _waiting(members[2:])
    with django_assert_max_num_queries(len(few.captured_queries)):
        clerk.get("/")
    assert "国保" not in _text(staff_client("madoguchi", ["counter"]).get("/"))


def test_the_lookup_costs_the_same_queries_for_one_member_or_many(town, clerk):
    row, members = town
    with tenant_context(AIZU):
        sizes = {
            s: n
            for s, n in Member.objects.values_list("setai_no")
            .annotate(n=Count("id"))
            .values_list("setai_no", "n")
        }
    single = next(s for s, n in sorted(sizes.items()) if n == 1)
    with CaptureQueriesContext(connection) as one:
        assert clerk.get(f"/health_insurance/?setai_no={single}").status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert clerk.get(f"/health_insurance/?setai_no={row.setai_no}").status_code == 200
    assert sizes[row.setai_no] >= 3 and len(many.captured_queries) == len(one.captured_queries)

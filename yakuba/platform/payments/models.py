"""支払: the runs of a 支払月, their payments, and the 振込依頼人 of each municipality.

Every table is append-only: a run's payments are written once, page by page, and never changed;
the 依頼人 settings are versions, the latest tells (``Requester.current``).
"""

from __future__ import annotations

from django.db import models

from yakuba.platform.tenancy.models import TenantModel

RUNNING, DONE = "running", "done"
DEFAULT_PAY_DAY = 10


class AccountType(models.TextChoices):
    """預金種目 as the 全銀 総合振込 file writes it."""

    ORDINARY = "1", "普通"
    CURRENT = "2", "当座"


class PayeeAccount(models.Model):
    """The 口座 a payee is paid into, as every benefit's 認定 keeps it and each payment copies it
    (the 全銀 data record's 被仕向 fields)."""

    bank_code = models.CharField("金融機関コード", max_length=4)
    branch_code = models.CharField("支店コード", max_length=3)
    account_type = models.CharField("預金種目", max_length=1, choices=AccountType.choices)
    account_number = models.CharField("口座番号", max_length=7)
    account_holder_kana = models.CharField("口座名義（カナ）", max_length=60)

    class Meta:
        abstract = True


class PaidEntitlement(PayeeAccount):
    """A benefit's 認定 as the payment runs read it: who is paid (``claimant_atena_no``), from which
    month (``first_month``, a 1st) to which (``last_month``, set at 消滅), into which 口座. Each
    domain adds its own ``status`` and ``end_reason`` (their words differ) and what it decides."""

    claimant_atena_no = models.CharField("受給者の宛名番号", max_length=15)
    claimed_on = models.DateField("請求日")
    certified_on = models.DateField("認定日")
    first_month = models.DateField("支給開始月")
    last_month = models.DateField("支給終了月", null=True)
    ended_on = models.DateField("消滅の事由の日", null=True)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PaymentRun(TenantModel):
    """The 支払 of one domain for one 支払月: its 支払日, how far it got (``last_reference``: a
    killed run resumes after the last committed page), its totals and, once done, a checksum
    over every payment (equal for two runs that paid the same)."""

    domain = models.CharField("業務", max_length=40)
    month = models.DateField("支払月")  # the 1st of the month
    pay_on = models.DateField("支払日")
    state = models.CharField(max_length=8, choices=[(RUNNING, "実行中"), (DONE, "完了")], default=RUNNING)
    last_reference = models.BigIntegerField(default=0)
    done = models.IntegerField("支払件数", default=0)
    total = models.BigIntegerField("支払総額", default=0)
    checksum = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "payments_run"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "domain", "month"], name="payments_run_domain_month")
        ]


class Payment(TenantModel, PayeeAccount):
    """One payee's payment in a run: the amount, each month it covers with that month's amount
    (``[["2026-10", 10000], ["2026-11", 15000]]`` — a 額改定 in between shows both), the 口座 it
    goes to and the domain's row it pays (``reference``: e.g. the 認定's id)."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="+")
    reference = models.BigIntegerField("業務側の参照")
    payee_atena_no = models.CharField("受取人の宛名番号", max_length=15)
    amount = models.IntegerField("支払額")
    months = models.JSONField("対象月と月額")

    class Meta:
        db_table = "payments_payment"
        constraints = [
            models.UniqueConstraint(fields=["lg_code", "run", "reference"], name="payments_payment_reference")
        ]
        indexes = [
            models.Index(fields=["lg_code", "payee_atena_no"], name="payments_payment_payee"),
            # What earlier runs paid a domain's row: a domain's SELECT looks it up per row.
            models.Index(fields=["lg_code", "reference"], name="payments_payment_reference_at"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_atena_no} {self.amount:,}円"


class Requester(TenantModel):
    """The 振込依頼人 (the municipality's own 口座 and 委託者 code at its bank) and the day of the
    支払月 it pays on — one version per change, the latest tells."""

    requester_code = models.CharField("依頼人コード", max_length=10)
    requester_name = models.CharField("依頼人名（カナ）", max_length=40)
    bank_code = models.CharField("仕向金融機関コード", max_length=4)
    bank_name = models.CharField("仕向金融機関名（カナ）", max_length=15, blank=True, default="")
    branch_code = models.CharField("仕向支店コード", max_length=3)
    branch_name = models.CharField("仕向支店名（カナ）", max_length=15, blank=True, default="")
    account_type = models.CharField("預金種目", max_length=1)
    account_number = models.CharField("口座番号", max_length=7)
    pay_day = models.SmallIntegerField("支払日（日）", default=DEFAULT_PAY_DAY)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        db_table = "payments_requester"

    @classmethod
    def current(cls) -> Requester | None:
        return cls.objects.order_by("-id").first()

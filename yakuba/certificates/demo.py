"""Demo data for ``yakuba serve --demo``: issuing settings with a sample 公印 (「見本」)."""

from __future__ import annotations


def populate(lg_code: str) -> str:
    """Register the settings once; later starts keep what an administrator changed."""
    from yakuba.certificates.services import seal, settings
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import tenant_context

    with bind_actor(SYSTEM), tenant_context(lg_code):
        if settings.current().registered:
            return "証明書の発行設定（前回の起動で作成済み）"
        title = settings.default_title(lg_code)
        settings.update(certifier_title=title, certifier_name="見本 太郎", seal_png=seal.sample_seal(title))
    return f"証明書の発行設定（認証者 {title} 見本 太郎、見本の公印）を登録しました"

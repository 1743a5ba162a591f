"""証明書: 住民票の写し and the related certificates, issued from the registry's door as signed,
verifiable PDFs, with the 交付履歴 (docs/certificates.md)."""

"""Operations: backups and restore, data retention, erasure and export of personal data."""

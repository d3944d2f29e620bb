"""CSV files waiting between an import's preview and its confirmation.

They live in the database, so the preview and the confirmation may be served by
different app servers. A file belongs to the user who previewed it; previews never
confirmed are dropped after ``LIFETIME``.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import StagedImport

LIFETIME = datetime.timedelta(days=1)


def stage_import(*, data: bytes, filename: str, fingerprint: str, user) -> StagedImport:
    """Keep ``data`` for ``user`` to confirm; replaces the user's earlier preview."""
    with transaction.atomic():
        StagedImport.objects.filter(created_at__lt=timezone.now() - LIFETIME).delete()
        StagedImport.objects.filter(user=user).delete()
        staged = StagedImport(
            token=secrets.token_urlsafe(32),
            user=user,
            filename=filename[:255],
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            fingerprint=fingerprint,
        )
        staged.full_clean()
        staged.save()
    return staged


def staged_import(*, token: str, user) -> StagedImport | None:
    """``user``'s own staged file for ``token`` while it has not expired, locked for update.

    Call it inside a transaction: the lock makes a second confirmation of the same
    file (from another tab or another app server) wait, then find it gone.
    """
    if not token or not user.is_authenticated:
        return None
    return (
        StagedImport.objects.select_for_update()
        .filter(token=token, user=user, created_at__gte=timezone.now() - LIFETIME)
        .first()
    )


def staged_bytes(staged: StagedImport) -> bytes | None:
    """The staged file's bytes, or None when they no longer match their checksum."""
    data = bytes(staged.data)
    return data if hashlib.sha256(data).hexdigest() == staged.sha256 else None

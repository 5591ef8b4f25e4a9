"""Documents kept with an agreement: PDF only (by name and by content), within a size limit,
stored under MEDIA_ROOT by their content's hash and read only through the agreement's page."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from renfort.accounts.models import User
from renfort.agreements.models import Agreement, AgreementDocument, DocumentKind
from renfort.agreements.services.common import Errors, history_add
from renfort.lib.limits import length_errors

PDF_MAGIC = b"%PDF-"
NAME_MAX = 200


class Upload(Protocol):
    """What a document upload gives: a name and its bytes (Django's ``UploadedFile``)."""

    name: str | None

    def seek(self, offset: int, whence: int = 0) -> object: ...

    def read(self, size: int = -1) -> bytes: ...


def _read(upload: Upload, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the upload, from its start: enough to refuse one too
    large without reading it all."""
    upload.seek(0)
    return upload.read(limit + 1)


def _file_errors(errors: Errors, name: str, data: bytes, limit: int) -> None:
    if not name.lower().endswith(".pdf"):
        errors.add(
            "file",
            _("File: %(name)s is not a PDF; its name must end in .pdf.") % {"name": name or "–"},
        )
    if not data:
        errors.add("file", _("File: %(name)s is empty.") % {"name": name or "–"})
    elif len(data) > limit:
        errors.add(
            "file",
            _("File: %(name)s is larger than %(limit)s, the most a document may be.")
            % {"name": name, "limit": filesizeformat(limit)},
        )
    elif not data.startswith(PDF_MAGIC):
        errors.add(
            "file",
            _("File: %(name)s is not a PDF; its content does not start as a PDF does.")
            % {"name": name},
        )


@transaction.atomic
def agreement_document_add(
    *,
    agreement: Agreement,
    upload: Upload,
    kind: str,
    title: str = "",
    by: User | None = None,
) -> AgreementDocument:
    """Keep a PDF with ``agreement``: its name ends in .pdf, its content starts as a PDF does,
    and it is at most ``AGREEMENT_DOCUMENT_MAX_BYTES``. Stored under MEDIA_ROOT by the hash
    of its content (the same file twice is stored once); a refused upload writes nothing."""
    limit = settings.AGREEMENT_DOCUMENT_MAX_BYTES
    errors = Errors()
    name = PurePath(str(upload.name or "").replace("\\", "/")).name
    data = _read(upload, limit)
    _file_errors(errors, name, data, limit)
    if kind not in DocumentKind.values:
        errors.add("kind", _("Kind: choose the kind of document."))
    title = title.strip() or PurePath(name).stem
    for key, message in length_errors(AgreementDocument, title=title).items():
        errors.add(key, message)
    errors.raise_if_any()
    if len(name) > NAME_MAX:
        name = name[: NAME_MAX - 4] + ".pdf"
    digest = hashlib.sha256(data).hexdigest()
    path = f"agreements/{digest[:2]}/{digest}.pdf"
    created = not default_storage.exists(path)
    if created:
        path = default_storage.save(path, ContentFile(data))
    try:
        document = AgreementDocument.objects.create(
            agreement=agreement,
            kind=kind,
            title=title,
            file=path,
            original_name=name,
            size=len(data),
            sha256=digest,
            uploaded_by=by,
        )
        history_add(agreement, by=by, code="agreement.document_added", params={"title": title})
    except Exception:
        if created:
            default_storage.delete(path)
        raise
    return document

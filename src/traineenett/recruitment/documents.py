"""Checks for uploaded documents: PDF by content, within the size limit."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "RECRUITMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def check_pdf(upload: UploadedFile) -> None:
    """Raise ValidationError unless ``upload`` is a readable PDF within the size limit."""
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(5)
    if head != b"%PDF-":
        raise ValidationError(_("Upload a PDF file (this file is not a PDF)."))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    from pypdf import PdfReader

    try:
        # pypdf logs warnings for repairable files; a file it cannot open raises.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        _pages = len(reader.pages)
    except Exception as error:  # pypdf raises many kinds for a broken file
        raise ValidationError(
            _("The PDF file is damaged and cannot be opened; save it again and retry.")
        ) from error


def pdf_response(document: Any) -> HttpResponse:
    """A stored document as a download (after the caller has checked the access)."""
    with document.file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/pdf")
    safe_name = (
        "".join(c for c in document.original_name if c.isalnum() or c in "._- ") or "file.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

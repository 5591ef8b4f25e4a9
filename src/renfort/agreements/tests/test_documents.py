"""Documents: PDF only (by name and by content), within the size limit, stored under
MEDIA_ROOT and read only by those who may see the agreement; another party gets 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renfort.agreements.models import AgreementDocument, DocumentKind
from renfort.agreements.services import agreement_document_add
from renfort.agreements.tests.factories import funded_agreement
from renfort.testing import Personas, make_user, refuses, table_state

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 1000
    return tmp_path


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def upload(name: str = "Signed agreement.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def test_a_pdf_is_kept_under_media_root_by_its_hash(personas: Personas, media: Path) -> None:
    agreement, _lines = funded_agreement(personas)
    document = agreement_document_add(
        agreement=agreement, upload=upload(), kind=DocumentKind.SIGNED, by=personas.secretariat
    )
    assert (document.title, document.original_name, document.size) == (
        "Signed agreement",
        "Signed agreement.pdf",
        len(PDF),
    )
    assert files(media) == [document.file.name]
    assert (media / document.file.name).read_bytes() == PDF
    again = agreement_document_add(
        agreement=agreement, upload=upload("copy.pdf"), kind=DocumentKind.OTHER, title="Copy"
    )
    assert again.file.name == document.file.name and len(files(media)) == 1
    assert agreement.history.filter(note_code="agreement.document_added").count() == 2


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("agreement.docx", PDF, "File: agreement.docx is not a PDF; its name must end in .pdf."),
        (
            "photo.pdf",
            b"\x89PNG\r\n\x1a\n" + b"0" * 40,
            "File: photo.pdf is not a PDF; its content does not start as a PDF does.",
        ),
        ("big.pdf", PDF + b"0" * 1000, "File: big.pdf is larger than 1000\xa0bytes"),
        ("empty.pdf", b"", "File: empty.pdf is empty."),
    ],
)
def test_a_wrong_upload_is_refused_and_nothing_written(
    personas: Personas, media: Path, name: str, data: bytes, text: str
) -> None:
    agreement, _lines = funded_agreement(personas)
    refuses(
        agreement_document_add,
        text=text,
        field="file",
        agreement=agreement,
        upload=upload(name, data),
        kind=DocumentKind.SIGNED,
    )
    assert files(media) == []


def test_the_kind_and_title_are_checked(personas: Personas, media: Path) -> None:
    agreement, _lines = funded_agreement(personas)
    refuses(
        agreement_document_add,
        text="Kind: choose the kind of document.",
        field="kind",
        agreement=agreement,
        upload=upload(),
        kind="memo",
    )
    refuses(
        agreement_document_add,
        text="Title: 201 characters, at most 200.",
        field="title",
        agreement=agreement,
        upload=upload(),
        kind=DocumentKind.OTHER,
        title="t" * 201,
    )
    assert files(media) == []


# --- pages ---------------------------------------------------------------------------------------


def _document(personas: Personas) -> AgreementDocument:
    agreement, _lines = funded_agreement(personas)  # the donor funds Senegal
    return agreement_document_add(agreement=agreement, upload=upload(), kind=DocumentKind.SIGNED)


def _url(document: AgreementDocument) -> str:
    return reverse("agreements:document_download", args=[document.agreement_id, document.pk])


def test_download_asks_anonymous_to_sign_in(client, personas: Personas, media: Path) -> None:
    response = client.get(_url(_document(personas)))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_download_refuses_experts(client, personas: Personas, media: Path) -> None:
    client.force_login(personas.expert_user)
    assert client.get(_url(_document(personas))).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "lender"])
def test_a_document_opened_by_a_non_party_is_404(
    client, personas: Personas, media: Path, persona: str
) -> None:
    client.force_login(getattr(personas, persona))
    assert client.get(_url(_document(personas))).status_code == 404


def test_a_document_of_another_agreement_is_404(client, personas: Personas, media: Path) -> None:
    document = _document(personas)
    other, _lines = funded_agreement(
        personas, parties=[(personas.donor_agency, "funding"), (personas.admin_c, "beneficiary")]
    )
    client.force_login(personas.donor)  # party to both
    url = reverse("agreements:document_download", args=[other.pk, document.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["secretariat", "member", "donor", "regional"])
def test_parties_and_the_regions_coordinator_read_the_pdf(
    client, personas: Personas, media: Path, persona: str
) -> None:
    document = _document(personas)
    client.force_login(getattr(personas, persona))
    response = client.get(_url(document))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Signed agreement.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_a_missing_file_is_404(client, personas: Personas, media: Path) -> None:
    document = _document(personas)
    (media / document.file.name).unlink()
    client.force_login(personas.secretariat)
    assert client.get(_url(document)).status_code == 404


def test_there_is_no_public_media_url(client, personas: Personas, media: Path) -> None:
    document = _document(personas)
    client.force_login(personas.secretariat)
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/{document.file.name}").status_code == 404


def test_upload_page(client, personas: Personas, media: Path) -> None:
    agreement, _lines = funded_agreement(personas)
    url = reverse("agreements:document_upload", args=[agreement.pk])
    client.force_login(personas.secretariat)
    response = client.post(url, {"file": upload(), "kind": "signed", "title": ""})
    assert response.status_code == 302
    assert agreement.documents.get().title == "Signed agreement"
    before = table_state()
    response = client.post(url, {"file": upload("notes.txt", b"hello"), "kind": "other"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "File: notes.txt is not a PDF; its name must end in .pdf." in body
    assert "There is a problem" in body
    assert table_state() == before and len(files(media)) == 1


@pytest.mark.parametrize("persona", ["member", "donor", "regional", "expert_user"])
def test_only_the_secretariat_uploads(
    client, personas: Personas, media: Path, persona: str
) -> None:
    agreement, _lines = funded_agreement(personas)
    client.force_login(getattr(personas, persona))
    url = reverse("agreements:document_upload", args=[agreement.pk])
    assert client.post(url, {"file": upload(), "kind": "signed"}).status_code == 403
    assert files(media) == []


def test_a_user_without_organisation_sees_no_document(
    client, personas: Personas, media: Path
) -> None:
    client.force_login(make_user("member", None, username="orphan"))
    assert client.get(_url(_document(personas))).status_code == 404

# ruff: noqa: E501 (expected messages and YAML are compared whole)
"""smtp delivery against a real SMTP server on 127.0.0.1: the messages as received (headers,
body, the attached copy's stamp), a refused recipient, a dropped connection, authentication.
Nothing here contacts any other host."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from distkit import log_records, run, source, write_project
from pypdf import PdfReader
from smtpkit import (
    Mailbox,
    dropping_server,
    free_port,
    self_signed,
    silent_server,
    smtp_server,
)

DIST = """\
from: {{name: Regional Security Desk, organization: MFA, email: desk@example.org}}
delivery:
  method: smtp
  smtp: {{host: 127.0.0.1, port: {port}, security: none, timeout: 5{auth}}}
recipients:
  - {{id: minister, name: Deputy Minister, organization: MFA, email: minister@example.gov, cleared: TLP:AMBER}}
  - {{id: adviser, name: Defence Adviser, organization: MoD, email: adviser@example.gov, cleared: TLP:AMBER}}
  - {{id: planner, name: Policy Planner, organization: MFA, email: planner@example.gov, cleared: TLP:AMBER}}
routes:
  - {{briefings: [nk], to: [minister, adviser, planner]}}
"""
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SUMMARY = ("At least **39** killed in two days.", "Russia is *cautious*.")


def desk(root: Path, port: int, auth: str = "") -> Path:
    return write_project(
        root,
        {
            "nk": source(
                "Nagorno-Karabakh: Heaviest Fighting",
                marking="TLP:AMBER",
                as_of="2020-09-29",
                summary=SUMMARY,
            )
        },
        DIST.format(port=port, auth=auth),
    )


def attachment(message) -> bytes:
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    assert parts[0].get_content_type() == "application/pdf"
    return parts[0].get_content()


def test_messages_as_received(tmp_path: Path) -> None:
    box = Mailbox()
    with smtp_server(box) as port:
        root = desk(tmp_path, port)
        result = run(root, "distribute", "--send")
    assert result.exit_code == 0, result.output
    assert len(box.messages) == 3
    records = {r["recipient"]: r for r in log_records(root)}
    message = next(
        m for m in box.messages if m["To"].addresses[0].addr_spec == "adviser@example.gov"
    )
    record = records["adviser"]
    assert (
        message["Subject"]
        == "[TLP:AMBER] Nagorno-Karabakh: Heaviest Fighting — edition 1 (2020-09-29)"
    )
    assert str(message["From"]) == "Regional Security Desk <desk@example.org>"
    assert str(message["To"]) == "Defence Adviser <adviser@example.gov>"
    assert message["Message-ID"] == f"<{str(record['copy_id']).lower()}.copy@example.org>"
    body = message.get_body(("plain",)).get_content()
    lines = body.splitlines()
    assert lines[0] == "TLP:AMBER"
    assert lines[-1] == "TLP:AMBER"
    assert "Nagorno-Karabakh: Heaviest Fighting" in lines
    assert "As of 2020-09-29 · edition 1" in lines
    assert "  - At least 39 killed in two days." in lines
    assert "  - Russia is cautious." in lines
    pdf = attachment(message)
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta["/BriefingCopyId"] == record["copy_id"]
    stamp = f"Copy 2 of 3 · For Defence Adviser, MoD · Copy ID {record['copy_id']}"
    assert all(stamp in (p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    assert record["status"] == "sent"
    assert record["method"] == "smtp"
    assert record["to"] == "Defence Adviser <adviser@example.gov>"


def test_a_refused_recipient_fails_alone_and_is_retried(tmp_path: Path) -> None:
    box = Mailbox(refuse={"adviser@example.gov"})
    with smtp_server(box) as port:
        root = desk(tmp_path, port)
        result = run(root, "distribute", "--send")
        assert result.exit_code == 1
        failed = [r for r in log_records(root) if r["status"] == "failed"]
        assert [(r["recipient"], r["error"]) for r in failed] == [
            ("adviser", "550 5.1.1 <adviser@example.gov>: mailbox unavailable")
        ]
        assert sorted(m["To"].addresses[0].username for m in box.messages) == [
            "minister",
            "planner",
        ]
        assert any(
            line.startswith("failed    nk e1 → adviser (copy 2 of 3")
            for line in result.stdout.splitlines()
        )
        box.refuse.clear()
        again = run(root, "distribute", "--send")
    assert again.exit_code == 0, again.output
    last = log_records(root)[-1]
    assert (last["recipient"], last["status"], last["copy"], last["copy_id"]) == (
        "adviser",
        "sent",
        2,
        failed[0]["copy_id"],
    )
    resent = box.messages[-1]
    assert resent["Message-ID"] == f"<{str(failed[0]['copy_id']).lower()}.copy@example.org>"
    assert len(box.messages) == 3


def test_a_dropped_connection_fails_every_delivery_and_the_next_run_delivers(
    tmp_path: Path,
) -> None:
    with dropping_server() as port:
        root = desk(tmp_path, port)
        result = run(root, "distribute", "--send")
    assert result.exit_code == 1
    records = log_records(root)
    assert [r["status"] for r in records] == ["failed"] * 3
    assert all("closed" in str(r["error"]).lower() for r in records), records
    box = Mailbox()
    with smtp_server(box) as new_port:
        text = (
            (root / "distribution.yaml").read_text().replace(f"port: {port}", f"port: {new_port}")
        )
        (root / "distribution.yaml").write_text(text)
        again = run(root, "distribute", "--send")
    assert again.exit_code == 0
    assert len(box.messages) == 3


def test_connection_refused(tmp_path: Path) -> None:
    root = desk(tmp_path, free_port())
    result = run(root, "distribute", "--send")
    assert result.exit_code == 1
    errors = [r["error"] for r in log_records(root)]
    assert len(errors) == 3
    assert all("Connection refused" in str(e) for e in errors), errors


AUTH = ", username_env: DESK_SMTP_USER, password_env: DESK_SMTP_PASSWORD"


@pytest.mark.parametrize(("password", "code", "delivered"), [("s3cret", 0, 3), ("wrong", 1, 0)])
def test_authentication(tmp_path: Path, password: str, code: int, delivered: int) -> None:
    box = Mailbox()
    with smtp_server(box, auth=("desk", "s3cret")) as port:
        root = desk(tmp_path, port, AUTH)
        env = {"DESK_SMTP_USER": "desk", "DESK_SMTP_PASSWORD": password}
        result = run(root, "distribute", "--send", env=env)
    assert result.exit_code == code, result.output
    assert len(box.messages) == delivered
    if delivered == 0:
        assert all(
            str(r["error"]).startswith("authentication failed: 535") for r in log_records(root)
        )
    assert "s3cret" not in (root / "dist" / "distribution" / "log.jsonl").read_text()


def test_missing_credentials_variable_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DESK_SMTP_USER", raising=False)
    root = desk(tmp_path, free_port(), AUTH)
    result = run(root, "distribute", "--send")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    where, _, message = line.partition(": delivery.smtp.username_env: ")
    assert message == "the environment variable DESK_SMTP_USER is not set"
    file, number, _column = where.split(":")
    text = (root / file).read_text().splitlines()[int(number) - 1]
    assert "username_env" in text
    assert log_records(root) == []


def test_a_temporary_failure_for_one_recipient(tmp_path: Path) -> None:
    box = Mailbox(replies={"planner@example.gov": "452 4.2.2 Mailbox full, try again later"})
    with smtp_server(box) as port:
        root = desk(tmp_path, port)
        result = run(root, "distribute", "--send")
    assert result.exit_code == 1
    failed = {r["recipient"]: r["error"] for r in log_records(root) if r["status"] == "failed"}
    assert failed == {"planner": "452 4.2.2 Mailbox full, try again later"}
    assert len(box.messages) == 2


def test_a_server_that_never_answers_times_out(tmp_path: Path) -> None:
    with silent_server() as port:
        root = desk(tmp_path, port)
        text = (root / "distribution.yaml").read_text().replace("timeout: 5", "timeout: 1")
        (root / "distribution.yaml").write_text(text)
        result = run(root, "distribute", "--send")
    assert result.exit_code == 1
    errors = [r["error"] for r in log_records(root)]
    assert errors == [f"timed out after 1 s talking to 127.0.0.1:{port}"] * 3


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_authentication(tmp_path: Path, security: str) -> None:
    """The certificate is checked (trusted here through SSL_CERT_FILE), then the login."""
    cert, context = self_signed(tmp_path)
    box = Mailbox()
    with smtp_server(
        box, auth=("desk", "s3cret"), tls=context, implicit_tls=security == "ssl"
    ) as port:
        root = desk(tmp_path / "p", port, AUTH)
        text = (
            (root / "distribution.yaml")
            .read_text()
            .replace("security: none", f"security: {security}")
        )
        (root / "distribution.yaml").write_text(text)
        env = {"DESK_SMTP_USER": "desk", "DESK_SMTP_PASSWORD": "s3cret"}
        result = run(root, "distribute", "--send", env={**env, "SSL_CERT_FILE": str(cert)})
        assert result.exit_code == 0, [r["error"] for r in log_records(root)]
        assert len(box.messages) == 3
    # without trusting the certificate, the server is refused: nothing is sent in clear
    other = desk(tmp_path / "q", port, AUTH)
    (other / "distribution.yaml").write_text(text)
    with smtp_server(
        Mailbox(), auth=("desk", "s3cret"), tls=context, implicit_tls=security == "ssl"
    ) as port2:
        text2 = text.replace(f"port: {port}", f"port: {port2}")
        (other / "distribution.yaml").write_text(text2)
        refused = run(other, "distribute", "--send", env={**env, "SSL_CERT_FILE": os.devnull})
    assert refused.exit_code == 1
    assert all("CERTIFICATE_VERIFY_FAILED" in str(r["error"]) for r in log_records(other))

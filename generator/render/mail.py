"""The week's edition as one email file: MIME ``multipart/alternative``, plain text then HTML.

Takes the edition's subject, its plain text and its HTML; gives the bytes of an ``.eml`` file
(RFC 5322 with CRLF line ends) that a mail tool opens as a draft or a newsletter service imports.
Built with the standard library's ``email`` package. Nothing varies between runs: no Date or
Message-ID header (the mail tool adds them when it sends), and the boundary is derived from the
content, so the same edition always gives the same bytes. Both parts are quoted-printable, whose
output never holds ``=_``, so a boundary starting ``=_`` cannot occur inside a part. No sender or
recipients: the curator's mail tool sets them.
"""
from __future__ import annotations

import hashlib
from email import policy
from email.message import EmailMessage

BOUNDARY_PREFIX = "=_digest-edition-"


def edition_email(subject: str, text: str, html: str) -> bytes:
    """The ``.eml`` bytes of one edition: a text part and an HTML part, the same stories in each."""
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = subject
    message["MIME-Version"] = "1.0"
    message["X-Unsent"] = "1"  # Outlook and others open such a file as a draft to send
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    digest = hashlib.sha256((subject + "\0" + text + "\0" + html).encode("utf-8")).hexdigest()[:24]
    message.set_boundary(BOUNDARY_PREFIX + digest)
    return message.as_bytes()

"""The gateway's signing keys: the private half encrypted at rest, the public half published in the JWKS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.database import Base
from servicekit.db import UTCDateTime
from servicekit.pii import EncryptedText


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key: Mapped[str] = mapped_column(EncryptedText, doc="PKCS#8 PEM, encrypted with the data keys")
    public_jwk: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    signs_until: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="none: the key signs (newest first)")
    verify_until: Mapped[datetime | None] = mapped_column(UTCDateTime, doc="none: published until retired")

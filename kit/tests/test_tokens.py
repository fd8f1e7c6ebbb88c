"""Token keys: verifiers hold public keys only, refetch the key set for an unknown key id (at most so often), and
production mode neither signs with nor trusts the development key pair."""

from __future__ import annotations

import time

import pytest

from servicekit import tokens
from servicekit.auth import verify_token
from servicekit.errors import ApiError
from servicekit.settings import CommonSettings, common_settings
from servicekit.testing import token_claims


def _gateway_key() -> tuple[str, object, dict]:
    key = tokens.new_private_key()
    kid = tokens.key_id(key)
    return kid, key, {"keys": [tokens.public_jwk(key, kid)]}


async def test_an_unknown_key_id_is_fetched_once_then_verifies() -> None:
    kid, key, jwks = _gateway_key()
    calls = []

    async def fetch() -> dict:
        calls.append(1)
        return jwks

    verifier = tokens.Verifier(common_settings().model_copy(update={"jwks_refetch_seconds": 60}))
    verifier.fetched_at = time.monotonic() - 120  # fresh set: only an unknown key id makes it fetch
    verifier.fetch = fetch
    token = tokens.sign(token_claims(), key, kid)
    assert verifier.key(kid) is None
    await verifier.refresh(tokens.token_kid(token))
    assert verifier.key(kid) is not None
    await verifier.refresh("still-unknown")  # within the refetch interval: no second fetch
    assert calls == [1]
    assert "private" not in str(jwks) and "d" not in jwks["keys"][0]  # the set carries no private part


async def test_verify_token_uses_the_fetched_key(monkeypatch: pytest.MonkeyPatch) -> None:
    kid, key, jwks = _gateway_key()
    verifier = tokens.verifier()

    async def fetch() -> dict:
        return {"keys": [*jwks["keys"], *tokens.dev_public_jwks(common_settings())["keys"]]}

    monkeypatch.setattr(verifier, "fetch", fetch)
    monkeypatch.setattr(verifier, "fetched_at", float("-inf"))
    token = tokens.sign(token_claims(sub="gw"), key, kid)
    with pytest.raises(ApiError):
        verify_token(token)
    await tokens.prepare(token)
    assert verify_token(token).subject == "gw"
    monkeypatch.setattr(verifier, "keys", {k: v for k, v in verifier.keys.items() if k != kid})


def test_production_mode_refuses_the_development_key(tmp_path) -> None:
    development = CommonSettings(dev_keys_dir=tmp_path)
    tokens.ensure_dev_keys(development)
    assert tokens.Verifier(development).keys  # development trusts it
    production = CommonSettings(dev_keys_dir=tmp_path, env="production")
    assert not tokens.Verifier(production).keys
    with pytest.raises(tokens.DevelopmentKeyRefused):
        tokens.dev_signing_key(production)

"""Bearer-token auth for the API (API.md: ``Authorization: Bearer <token>``)."""

from __future__ import annotations

from ninja.security import HttpBearer

from kium.accounts.domain.tokens import user_for_token


class BearerAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


bearer = BearerAuth()

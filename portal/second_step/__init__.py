"""The second sign-in step after a password: a code from an authenticator app (TOTP), or a one-time recovery code.

Council staff must take it; providers' staff are offered it (SECOND_STEP_FOR_PROVIDERS may make it required), and
once they set it up they take it too. Signing in with the council's identity provider needs no second step here: the
identity provider asks for its own. Where a session stands is kept in the session itself, so a page costs no query.
"""

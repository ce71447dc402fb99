"""A real OpenID provider for the single sign-on tests: authlib's authorization server in Flask, on a local port."""

"""Hostile input and the page protections against it; `strict_csp_problems` and `inline_code_in` are shared with
the permission matrix, which fetches every page as every role."""

from html.parser import HTMLParser

# Sources that would let injected or inline script run.
_LOOSE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:")


def strict_csp_problems(response) -> list[str]:
    """What is wrong with a response's Content-Security-Policy; an empty list when it is strict."""
    header = response.get("Content-Security-Policy")
    if not header:
        return ["no Content-Security-Policy header"]
    directives = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    problems = []
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src"))
        if sources is None:
            problems.append(f"no {name} nor default-src")
            continue
        problems += [f"{name} allows {source}" for source in sources if source in _LOOSE_SOURCES]
    if directives.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors is not 'none'")
    return problems


class _InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"<{tag} {name}=>" for name in names if name.startswith("on") or name == "style"]
        self.found += [
            f"<{tag} {name}=javascript:>"
            for name, value in names.items()
            if name in {"href", "src", "action", "formaction"}
            and value.strip().lower().startswith("javascript:")
        ]


def inline_code_in(html: str) -> list[str]:
    """Inline script, event handlers and style attributes: the strict policy would block each of them."""
    parser = _InlineCode()
    parser.feed(html)
    return parser.found

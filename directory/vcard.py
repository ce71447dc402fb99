"""An officer as a vCard (RFC 2426, version 3.0), to save them to an address book."""

import re

from django.conf import settings

from directory.models import Officer

# Lines longer than this many octets are folded onto continuation lines that start with a space.
_MAX_LINE_OCTETS = 75


def escape(text: str) -> str:
    """A property value as vCard text: backslashes, commas and semicolons escaped, line breaks as \\n."""
    escaped = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", r"\\n", escaped)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a character."""
    parts: list[str] = []
    current, size, limit = "", 0, _MAX_LINE_OCTETS
    for character in line:
        octets = len(character.encode())
        if size + octets > limit:
            parts.append(current)
            # Continuation lines begin with a space, which counts towards their 75 octets.
            current, size, limit = "", 0, _MAX_LINE_OCTETS - 1
        current += character
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def _name_parts(full_name: str) -> tuple[str, str]:
    """(family name, given names): the last word is taken as the family name."""
    *given, family = full_name.split() or [""]
    return family, " ".join(given)


def officer_vcard(officer: Officer) -> str:
    """The officer's card: name, job title, council and team, work email and phone. Needs `officer.team`."""
    family, given = _name_parts(officer.full_name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(family)};{escape(given)};;;",
        f"FN:{escape(officer.full_name)}",
        f"TITLE:{escape(officer.job_title)}",
        f"ORG:{escape(settings.COUNCIL_NAME)};{escape(officer.team.name)}",
        f"EMAIL;TYPE=INTERNET,WORK:{escape(officer.email)}",
    ]
    if officer.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{escape(officer.phone)}")
    lines.append("END:VCARD")
    return "".join(f"{_fold(line)}\r\n" for line in lines)

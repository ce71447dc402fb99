"""Each row's page address for a list page, with one reverse() for the page rather than one per row."""

from django.urls import reverse

# Stands for the key while the address is reversed once; replaced by each row's own.
_ANY_KEY = 987654321


def with_paths(rows, url_name: str) -> list:
    """Give each row (a model instance or a dict from .values()) the `path` of its page at `url_name`(pk)."""
    pattern = reverse(url_name, kwargs={"pk": _ANY_KEY})
    marker = str(_ANY_KEY)
    for row in rows:
        if isinstance(row, dict):
            row["path"] = pattern.replace(marker, str(row["pk"]))
        else:
            row.path = pattern.replace(marker, str(row.pk))
    return rows

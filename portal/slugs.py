"""Addresses made from names: a slug unique among a model's rows, avoiding the words its URLs already use."""

from django.db import models
from django.utils.text import slugify


def unique_slug(model: type[models.Model], text: str, *, fallback: str, reserved: frozenset[str]) -> str:
    """The slug of `text`, with -2, -3, ... added while another row (or one of the URLs' own words) has it."""
    base = slugify(text)[:190] or fallback
    slug, number = base, 1
    while slug in reserved or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug

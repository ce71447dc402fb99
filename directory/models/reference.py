"""The shared words every part filters by: areas, service types, client groups and topics."""

from django.db import models


class _Named(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(_Named):
    """One of the county's areas: North East, Mid, South, West."""

    class Meta(_Named.Meta):
        pass


class ServiceType(_Named):
    """A type of care service: residential, nursing, home care and so on."""

    class Meta(_Named.Meta):
        pass


class ClientGroup(_Named):
    """A group of people supported: older people, learning disability, mental health and so on."""

    class Meta(_Named.Meta):
        pass


class Topic(_Named):
    """Something a provider may need help with, such as safeguarding or payments and invoices."""

    description = models.CharField(max_length=300, blank=True)

    class Meta(_Named.Meta):
        pass

from .providers import ProviderOrganisation
from .reference import Area, ServiceType

__all__ = ["Area", "ProviderOrganisation", "ServiceType"]

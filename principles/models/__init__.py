from .signups import OfficerSignUp, ProviderSignUp
from .versions import PrinciplesVersion

__all__ = ["OfficerSignUp", "PrinciplesVersion", "ProviderSignUp"]

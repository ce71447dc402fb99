from django.contrib.auth.mixins import PermissionRequiredMixin


class PermissionFirstMixin(PermissionRequiredMixin):
    """The role check runs before anything is looked up, so that someone who may not act learns nothing."""

    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

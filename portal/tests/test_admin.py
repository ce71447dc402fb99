import pytest
from django.contrib import admin
from django.urls import reverse

from portal.tests.factories import SuperuserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda model: f"{model._meta.app_label}.{model._meta.model_name}"
)
def test_superuser_can_open_every_admin_list_and_add_page(client, model):
    client.force_login(SuperuserFactory())
    info = (model._meta.app_label, model._meta.model_name)

    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    if admin.site._registry[model].has_add_permission(_request_for(client)):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def _request_for(client):
    from django.test import RequestFactory

    from portal.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request

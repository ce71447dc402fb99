app_name = "principles"

urlpatterns = []

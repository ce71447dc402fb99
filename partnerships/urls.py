from partnerships.views import checks, evaluation, process, register

app_name = "partnerships"

urlpatterns = [
    *register.urlpatterns,
    *process.urlpatterns,
    *evaluation.urlpatterns,
    *checks.urlpatterns,
]

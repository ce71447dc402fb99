from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("providers/", views.ProviderListView.as_view(), name="provider-list"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
]

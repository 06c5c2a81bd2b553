"""URLs outside any programme (personal links and the like); included at the root."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

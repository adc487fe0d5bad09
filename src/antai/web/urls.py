"""Every address of the web app. The pages of one organisation live under /o/<slug>/; each app of the web
edge (site, guide, evidence, review, exports) adds its own there, and each of its views checks membership."""

from django.urls import include, path

from antai.web.site import views

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", views.home, name="home"),
    path("o/<slug:slug>/", views.dashboard, name="dashboard"),
    path("o/<slug:slug>/items/", views.items, name="items"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("invite/<str:token>/", views.accept_invitation, name="invitation"),
    path("o/<slug:slug>/items/<str:item_id>/", views.item, name="item"),
    path("o/<slug:slug>/guide/", include("antai.web.guide.urls")),
    path("o/<slug:slug>/evidence/", include("antai.web.evidence.urls")),
    path("o/<slug:slug>/review/", include("antai.web.review.urls")),
    path("o/<slug:slug>/exports/", include("antai.web.exports.urls")),
]

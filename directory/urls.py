from django.urls import path

from core.cache import public_page
from core.ratelimit import rate_limited

from . import org_views, public_views, views

# Public search pages are open to everyone: limited per client so one scraper cannot slow them for all.
search_limit = rate_limited("search", "SEARCH_RATE_LIMIT", "SEARCH_RATE_WINDOW")

app_name = "directory"

urlpatterns = [
    path("experts/profile/", views.expert_profile_edit, name="expert_profile_edit"),
    path("experts/profile/bank/", views.bank_account_edit, name="bank_account_edit"),
    path("experts/<int:pk>/photo/", views.expert_photo, name="expert_photo"),
    path("experts/", search_limit(public_page(public_views.expert_search)), name="expert_search"),
    path("experts/<int:pk>/", public_page(public_views.expert_detail), name="expert_detail"),
    path("experts/recommend/", public_views.recommend, name="recommend"),
    path("organisations/", search_limit(public_page(org_views.org_list)), name="org_list"),
    path("organisations/<int:pk>/", public_page(org_views.org_detail), name="org_detail"),
    path("secretariat/experts/", views.review_list, name="review_list"),
    path("secretariat/experts/<int:pk>/", views.review_detail, name="review_detail"),
    path("secretariat/experts/<int:pk>/qualifications/<int:item_pk>/", views.verify_qualification, name="verify_qualification"),
]

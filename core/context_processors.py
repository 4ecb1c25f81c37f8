from django.conf import settings


def site(request):
    user = getattr(request, "user", None)
    roles = user.role_set() if user is not None and user.is_authenticated else set()
    return {"SITE_NAME": "よろず", "user_roles": roles, "DEBUG": settings.DEBUG}

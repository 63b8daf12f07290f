from django.conf import settings


def portal(request):
    """What every page shows: the support team's contact."""
    return {"support_contact": settings.SUPPORT_CONTACT}

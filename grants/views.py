from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from grants.models import Application


@login_required
def my_applications(request):
    applications = Application.objects.for_representative(request.user).with_list_relations()
    return render(request, "grants/my_applications.html", {"applications": applications})

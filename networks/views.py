from django.shortcuts import render

from networks.models import Network


def network_list(request):
    networks = Network.objects.select_related("dong", "region")
    return render(request, "networks/list.html", {"networks": networks})

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_render(client, resident, draft):
    assert client.get("/").status_code == 200
    client.force_login(resident)
    assert client.get("/").status_code == 200
    for step in ["project", "budget", "documents", "consent", "review"]:
        r = client.get(reverse(f"grants:apply_{step}", args=[draft.pk]))
        assert r.status_code == 200, step
    assert client.get(reverse("grants:application_detail", args=[draft.pk])).status_code == 200
    assert client.get(reverse("grants:my_applications")).status_code == 200
    assert client.get(reverse("grants:group")).status_code == 200
    assert client.get(reverse("grants:withdraw", args=[draft.pk])).status_code == 200
    client.logout()
    for url in ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/"]:
        assert client.get(url).status_code == 200, url

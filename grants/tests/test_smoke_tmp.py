import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_budget_post(client, resident, draft):
    client.force_login(resident)
    data = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-category": "materials",
        "lines-0-item": "a",
        "lines-0-amount": "1,800,000",
        "lines-0-source": "subsidy",
        "lines-1-category": "meetings",
        "lines-1-item": "b",
        "lines-1-amount": "200000",
        "lines-1-source": "self",
        "go": "next",
    }
    r = client.post(reverse("grants:apply_budget", args=[draft.pk]), data)
    print(r.context and r.context["error_summary"])
    assert r.status_code == 302

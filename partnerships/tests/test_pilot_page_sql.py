"""A pilot's page read in one query on PostgreSQL shows exactly what the ORM's reading, scoped, shows."""

import pytest

from partnerships.selectors.register import pilot_page, pilot_page_portable
from partnerships.tests import factories
from partnerships.tests.test_register import _full_pilot

pytestmark = pytest.mark.django_db


def _described(page) -> dict[str, list]:
    """Every list of the page as the values its template shows, in order."""
    return {
        "reasons": [(r.pk, r.get_reason_display(), r.explanation) for r in page.reasons],
        "areas": [(a.pk, a.name, a.slug) for a in page.areas],
        "service_types": [(t.pk, t.name) for t in page.service_types],
        "partners": [
            (p.pk, p.name, p.get_kind_display(), p.provider_id, p.role, p.contact_name, p.contact_email)
            for p in page.partners
        ],
        "objectives": [
            (o.pk, o.title, o.measure, o.target, o.owner.full_name, o.due_on) for o in page.objectives
        ],
        "milestones": [(m.pk, m.title, m.due_on, m.completed_on) for m in page.milestones],
        "risks": [
            (
                r.pk,
                r.get_status_display(),
                r.get_impact_display(),
                r.get_likelihood_display(),
                r.owner.full_name,
            )
            + (r.is_internal, r.mitigation)
            for r in page.risks
        ],
        "progress": [(e.pk, e.entry_on, e.text, e.is_internal) for e in page.progress],
        "evaluations": [
            (e.pk, e.get_point_display(), e.evaluated_on, e.is_published) for e in page.evaluations
        ],
    }


@pytest.mark.parametrize("role", ["officer", "provider_a"])
def test_one_query_reads_what_the_orm_reads_for_council_staff_and_providers(users, role):
    pilot = _full_pilot("Discharge to assess", each=14)
    factories.RiskFactory(pilot=pilot, status="closed", impact=3)
    factories.MilestoneFactory(pilot=pilot, completed_on=pilot.created_at.date())
    user = users[role]

    fast = pilot_page(pilot=pilot, user=user)
    portable = pilot_page_portable(pilot=pilot, user=user, procurement=fast.procurement)

    assert _described(fast) == _described(portable)
    described = _described(fast)
    # Fourteen entries, half of them internal: the latest ten, or the seven a provider may see.
    assert len(described["progress"]) == (10 if role == "officer" else 7)
    assert described["risks"][-1][1] == "Closed", "open risks come first"
    internal = {risk[5] for risk in described["risks"]} | {entry[3] for entry in described["progress"]}
    assert internal == ({False, True} if role == "officer" else {False})
    assert all(evaluation[3] for evaluation in described["evaluations"]) is (role != "officer")

"""The sign-up counts of the coverage page, in one portable query (PostgreSQL and SQLite alike).

Each active provider is joined once to its sign-up of the version, if any, and each officer in post likewise; the
groups are then counted from those two sets: providers by tier, by area and by type of service, officers by team
(with the team's directorate). One round trip, and joins rather than a lookup per row, so it stays quick at scale.
"""

import datetime as dt

from django.db import connection

from directory.models import Area, Directorate, Officer, ProviderOrganisation, ServiceType, Team
from principles.models import OfficerSignUp, ProviderSignUp

_PROVIDERS = """
    SELECT provider.id AS id, provider.tier AS tier,
           CASE WHEN sign_up.id IS NULL THEN 0 ELSE 1 END AS signed
    FROM {provider} provider
    LEFT JOIN {provider_sign_up} sign_up
      ON sign_up.organisation_id = provider.id AND sign_up.version_id = %(version)s
    WHERE provider.is_active = %(true)s
"""
_OFFICERS = """
    SELECT officer.id AS id, officer.team_id AS team_id,
           CASE WHEN sign_up.id IS NULL THEN 0 ELSE 1 END AS signed
    FROM {officer} officer
    LEFT JOIN {officer_sign_up} sign_up
      ON sign_up.officer_id = officer.id AND sign_up.version_id = %(version)s
    WHERE (officer.active_from IS NULL OR officer.active_from <= %(today)s)
      AND (officer.active_to IS NULL OR officer.active_to >= %(today)s)
"""
_GROUPS_SQL = """
    WITH providers AS ({providers}), officers AS ({officers})
    SELECT 'tier', CAST(providers.tier AS VARCHAR(20)), '', '', '', COUNT(*), SUM(providers.signed)
    FROM providers GROUP BY providers.tier
    UNION ALL
    SELECT 'area', area.slug, area.name, '', '', COUNT(*), SUM(providers.signed)
    FROM providers
    JOIN {provider_areas} link ON link.providerorganisation_id = providers.id
    JOIN {area} area ON area.id = link.area_id
    GROUP BY area.slug, area.name
    UNION ALL
    SELECT 'service_type', service_type.slug, service_type.name, '', '', COUNT(*), SUM(providers.signed)
    FROM providers
    JOIN {provider_service_types} link ON link.providerorganisation_id = providers.id
    JOIN {service_type} service_type ON service_type.id = link.servicetype_id
    GROUP BY service_type.slug, service_type.name
    UNION ALL
    SELECT 'team', CAST(team.id AS VARCHAR(20)), team.name, CAST(directorate.id AS VARCHAR(20)), directorate.name,
           COUNT(*), SUM(officers.signed)
    FROM officers
    JOIN {team} team ON team.id = officers.team_id
    JOIN {directorate} directorate ON directorate.id = team.directorate_id
    GROUP BY team.id, team.name, directorate.id, directorate.name
"""
_HEADLINE_SQL = """
    WITH providers AS ({providers}), officers AS ({officers})
    SELECT 'providers', COUNT(*), SUM(providers.signed) FROM providers
    UNION ALL
    SELECT 'officers', COUNT(*), SUM(officers.signed) FROM officers
"""


def _tables() -> dict[str, str]:
    return {
        "provider": ProviderOrganisation._meta.db_table,
        "provider_sign_up": ProviderSignUp._meta.db_table,
        "officer": Officer._meta.db_table,
        "officer_sign_up": OfficerSignUp._meta.db_table,
        "provider_areas": ProviderOrganisation.areas.through._meta.db_table,
        "area": Area._meta.db_table,
        "provider_service_types": ProviderOrganisation.service_types.through._meta.db_table,
        "service_type": ServiceType._meta.db_table,
        "team": Team._meta.db_table,
        "directorate": Directorate._meta.db_table,
    }


def _run(sql: str, *, version_id: int, today: dt.date) -> list[tuple]:
    with connection.cursor() as cursor:
        tables = _tables()
        sets = {"providers": _PROVIDERS.format(**tables), "officers": _OFFICERS.format(**tables)}
        cursor.execute(sql.format(**tables, **sets), {"version": version_id, "today": today, "true": True})
        return cursor.fetchall()


def group_counts(*, version_id: int, today: dt.date) -> list[tuple]:
    """(kind, key, label, parent key, parent label, total, signed) for each tier, area, service type and team."""
    return _run(_GROUPS_SQL, version_id=version_id, today=today)


def headline_counts(*, version_id: int, today: dt.date) -> dict[str, tuple[int, int]]:
    """{"providers": (total, signed), "officers": (total, signed)}."""
    return {
        kind: (int(total), int(signed or 0))
        for kind, total, signed in _run(_HEADLINE_SQL, version_id=version_id, today=today)
    }

"""Checking the rows of an imported file, one class per kind of file.

Everything a row refers to (areas, teams, officers by email...) is read once before the first row, so the number
of queries does not grow with the number of rows. Each row becomes a Plan: create a record, or update one found
by its key (an officer's email, a provider's name, or a responsibility's topic, areas and service types).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from directory.models import (
    Area,
    ClientGroup,
    Officer,
    ProviderAssociation,
    ProviderOrganisation,
    Responsibility,
    ServiceType,
    Team,
    Topic,
)
from directory.selectors.transfer import current_responsibilities

from .csv_cells import INVALID, CellReader, CsvRow, Names, Plan, Teams, by_lower_email
from .csv_export import Kind


def _areas() -> Names:
    # In the county's own order (North East, Mid, South, West), as the areas were made.
    return Names(Area.objects.order_by("pk"), noun="area", article="an")


class RowImporter(CellReader):
    model: type[models.Model]
    noun: str
    key_column: str = ""
    columns: dict[str, str]  # model field -> column, for the problems model validation finds
    m2m_fields: tuple[str, ...] = ()

    def __init__(self, rows: list[CsvRow], *, imported_by):
        super().__init__()
        self.rows = rows
        self.imported_by = imported_by
        self.rows_by_key: dict[object, int] = {}

    def plans(self) -> list[Plan]:
        self.preload()
        plans = []
        for row in self.rows:
            if row.stray:
                self.problem(row, "", "the row has a value in a column with no heading")
            plan = self.check_row(row)
            if plan is not None:
                plans.append(plan)
        self.finish()
        return plans

    def preload(self) -> None:
        raise NotImplementedError

    def check_row(self, row: CsvRow) -> Plan | None:
        raise NotImplementedError

    def finish(self) -> None:
        """Anything that needs every row checked first."""

    def column_values(self, column: str) -> set[str]:
        return {row.cells[column].lower() for row in self.rows} - {""}

    def key(self, row: CsvRow, key: object, *, column: str, described: str) -> bool:
        """Whether this is the first row with this key; notes a problem on a later one."""
        if key in self.rows_by_key:
            self.problem(
                row,
                column,
                f"{described} is also on row {self.rows_by_key[key]}; give each {self.noun} one row",
            )
            return False
        self.rows_by_key[key] = row.number
        return True

    def existing(self, row: CsvRow, matches: list) -> Plan | None:
        """A plan to update the one record found, or to create a new one."""
        if len(matches) > 1:
            self.problem(
                row,
                self.key_column,
                f"{len(matches)} {self.model._meta.verbose_name_plural} in the who's-who match this row; "
                "settle which one it is in the who's-who first",
            )
            return None
        if matches:
            return Plan(instance=matches[0], is_new=False)
        return Plan(instance=self.model(), is_new=True)

    def assign(self, plan: Plan, values: dict[str, object]) -> None:
        instance = plan.instance
        for name, value in values.items():
            if value is INVALID:
                continue
            if isinstance(value, models.Model) and value.pk is None:
                plan.links[name] = value
                plan.changed_fields.add(name)
                continue
            attname = instance._meta.get_field(name).attname
            if getattr(instance, attname) != (value.pk if isinstance(value, models.Model) else value):
                plan.changed_fields.add(name)
            setattr(instance, name, value)

    def assign_many(self, plan: Plan, name: str, pks: set[int] | object) -> None:
        if pks is INVALID:
            return
        plan.m2m[name] = pks
        current = set() if plan.is_new else {record.pk for record in getattr(plan.instance, name).all()}
        if pks != current:
            plan.m2m_changed.add(name)

    def check_team_current(self, row: CsvRow, plan: Plan) -> None:
        """A retired team takes no new officers or responsibilities; those already in it may stay."""
        if not (plan.is_new or "team" in plan.changed_fields) or plan.instance.team_id is None:
            return
        team = plan.instance.team  # the one just assigned from the teams read before the first row
        if not team.is_active:
            self.problem(row, "Team", f"team '{team.name}' has been retired; choose a current team")

    def validate(self, row: CsvRow, instance: models.Model) -> None:
        """The model's own field checks; references and constraints are checked above without a query."""
        exclude = [
            model_field.name for model_field in instance._meta.fields if model_field.name not in self.columns
        ]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = self.columns.get(name, "")
                if column in self.columns_at_fault[row.number]:
                    continue  # already reported, as the file has it
                for message in messages:
                    self.problem(row, column, message)


class OfficerImporter(RowImporter):
    model = Officer
    noun = "officer"
    key_column = "Email"
    columns = {
        "email": "Email",
        "full_name": "Full name",
        "job_title": "Job title",
        "seniority": "Seniority",
        "phone": "Phone",
        "market_lead": "Market lead",
        "active_from": "Active from",
        "active_to": "Active to",
        "last_verified_on": "Last verified",
    }
    m2m_fields = ("areas",)

    def preload(self) -> None:
        emails = self.column_values("Email") | self.column_values("Deputy email")
        self.officers = by_lower_email(
            Officer.objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=emails)
            .prefetch_related("areas")
        )
        self.owners = by_lower_email(
            get_user_model()
            .objects.annotate(email_key=Lower("email"))
            .filter(email_key__in=self.column_values("Owner email"), provider_organisation__isnull=True)
        )
        self.areas = _areas()
        self.teams = Teams(Team.objects.select_related("directorate"))
        self.in_file = self.column_values("Email")
        self.plans_by_email: dict[str, Plan] = {}
        self.deputies_in_file: list[tuple[Plan, str]] = []

    def check_row(self, row: CsvRow) -> Plan | None:
        email = row.cells["Email"].lower()
        if not email:
            self.problem(row, "Email", "email is empty; enter the officer's email address")
            return None
        if not self.key(row, email, column="Email", described=f"email '{row.cells['Email']}'"):
            return None
        plan = self.existing(row, self.officers.get(email, []))
        if plan is None:
            return None
        self.assign(plan, self.values(row, is_new=plan.is_new))
        self.assign_many(plan, "areas", self.many(row, "Areas", self.areas))
        self.deputy(row, plan, email)
        self.check_team_current(row, plan)
        self.check_dates(row, plan.instance)
        self.validate(row, plan.instance)
        self.plans_by_email[email] = plan
        return plan

    def values(self, row: CsvRow, *, is_new: bool) -> dict[str, object]:
        owner = self.by_email(
            row,
            "Owner email",
            self.owners,
            not_found="owner email '{email}' is not a council user of the portal",
        )
        return {
            "email": row.cells["Email"],
            "full_name": self.required(row, "Full name"),
            "job_title": self.required(row, "Job title"),
            "seniority": self.choice(row, "Seniority", Officer.Seniority),
            "team": self.team(row, self.teams, required=True),
            "phone": row.cells["Phone"],
            "market_lead": self.choice(row, "Market lead", Officer.MarketLead, required=False),
            "active_from": self.date(row, "Active from"),
            "active_to": self.date(row, "Active to"),
            # A new entry needs an owner: the person importing it, unless the file names one.
            "owner": self.imported_by if is_new and owner is None else owner,
            "last_verified_on": self.date(row, "Last verified"),
        }

    def deputy(self, row: CsvRow, plan: Plan, email: str) -> None:
        deputy_email = row.cells["Deputy email"].lower()
        if deputy_email == email:
            self.problem(row, "Deputy email", "an officer cannot be their own deputy")
        elif deputy_email in self.in_file:
            self.deputies_in_file.append((plan, deputy_email))
        else:
            not_found = "deputy email '{email}' is not an officer in the who's-who or in this file"
            self.assign(
                plan, {"deputy": self.by_email(row, "Deputy email", self.officers, not_found=not_found)}
            )

    def check_dates(self, row: CsvRow, officer: Officer) -> None:
        if officer.active_from and officer.active_to and officer.active_to < officer.active_from:
            self.problem(
                row,
                "Active to",
                "active to is before active from; the end date must be on or after the start",
            )

    def finish(self) -> None:
        for plan, deputy_email in self.deputies_in_file:
            deputy = self.plans_by_email.get(deputy_email)
            if deputy is not None:  # otherwise the deputy's own row has a problem
                self.assign(plan, {"deputy": deputy.instance})


class ResponsibilityImporter(RowImporter):
    model = Responsibility
    noun = "responsibility"
    key_column = "Topic"
    columns = {"notes": "Notes"}
    m2m_fields = ("areas", "service_types")

    def preload(self) -> None:
        self.topics = Names(Topic.objects.all(), noun="topic")
        self.areas = _areas()
        self.service_types = Names(ServiceType.objects.all(), noun="service type")
        self.teams = Teams(Team.objects.select_related("directorate"))
        self.officers = by_lower_email(
            Officer.objects.annotate(email_key=Lower("email")).filter(
                email_key__in=self.column_values("Officer email")
            )
        )
        self.current = defaultdict(list)
        for responsibility in current_responsibilities().prefetch_related("areas", "service_types"):
            self.current[self.scope(responsibility)].append(responsibility)

    @staticmethod
    def scope(responsibility: Responsibility) -> tuple:
        """What a responsibility answers: its key, since one question has one answer."""
        return (
            responsibility.topic_id,
            frozenset(area.pk for area in responsibility.areas.all()),
            frozenset(service_type.pk for service_type in responsibility.service_types.all()),
        )

    def check_row(self, row: CsvRow) -> Plan | None:
        topic = self.one(row, "Topic", self.topics, required=True)
        areas = self.many(row, "Areas", self.areas)
        service_types = self.many(row, "Service types", self.service_types)
        not_found = "officer email '{email}' is not an officer in the who's-who"
        officer = self.by_email(row, "Officer email", self.officers, not_found=not_found)
        team = self.team(row, self.teams, required=False)
        if officer is None and team is None:
            self.problem(
                row, "Officer email", "give the email of the officer who answers, or their team, or both"
            )
        if INVALID in (topic, areas, service_types):
            return None
        scope = (topic.pk, frozenset(areas), frozenset(service_types))
        if not self.key(
            row, scope, column="Topic", described=f"{topic.name} for the same areas and service types"
        ):
            return None
        plan = self.existing(row, self.current.get(scope, []))
        if plan is None:
            return None
        if plan.is_new:
            plan.instance.owner = self.imported_by
        self.assign(plan, {"topic": topic, "officer": officer, "team": team, "notes": row.cells["Notes"]})
        self.assign_many(plan, "areas", areas)
        self.assign_many(plan, "service_types", service_types)
        self.check_team_current(row, plan)
        self.validate(row, plan.instance)
        return plan


TIER_WORDS = {"tier one": 1, "tier two": 2, "tier three": 3}


class ProviderImporter(RowImporter):
    model = ProviderOrganisation
    noun = "provider"
    key_column = "Name"
    columns = {
        "name": "Name",
        "location_id": "Location ID",
        "tier": "Tier",
        "contract_type": "Contract type",
        "people_supported": "People supported",
    }
    m2m_fields = ("areas", "service_types", "client_groups", "associations")

    def preload(self) -> None:
        self.providers = defaultdict(list)
        for provider in (
            ProviderOrganisation.objects.annotate(name_key=Lower("name"))
            .filter(name_key__in=self.column_values("Name"))
            .prefetch_related(*self.m2m_fields)
        ):
            self.providers[provider.name.lower()].append(provider)
        self.officers = by_lower_email(
            Officer.objects.annotate(email_key=Lower("email")).filter(
                email_key__in=self.column_values("Contract manager email")
            )
        )
        self.names = {
            "areas": ("Areas", _areas()),
            "service_types": ("Service types", Names(ServiceType.objects.all(), noun="service type")),
            "client_groups": ("Client groups", Names(ClientGroup.objects.all(), noun="client group")),
            "associations": (
                "Associations",
                Names(ProviderAssociation.objects.all(), noun="provider association"),
            ),
        }

    def check_row(self, row: CsvRow) -> Plan | None:
        name = row.cells["Name"]
        if not name:
            self.problem(row, "Name", "name is empty; enter the provider's name")
            return None
        if not self.key(row, name.lower(), column="Name", described=f"name '{name}'"):
            return None
        plan = self.existing(row, self.providers.get(name.lower(), []))
        if plan is None:
            return None
        not_found = "contract manager email '{email}' is not an officer in the who's-who"
        manager = self.by_email(row, "Contract manager email", self.officers, not_found=not_found)
        tier = self.choice(row, "Tier", ProviderOrganisation.Tier, aliases=TIER_WORDS)
        self.assign(
            plan,
            {
                "name": name,
                "location_id": row.cells["Location ID"],
                "tier": tier,
                "contract_type": self.choice(row, "Contract type", ProviderOrganisation.ContractType),
                "people_supported": self.whole_number(row, "People supported"),
                "contract_manager": manager,
                "is_active": self.yes_no(row, "Active", blank=True),
            },
        )
        if tier == ProviderOrganisation.Tier.ONE and manager is None:
            self.problem(
                row, "Contract manager email", "a Tier One provider must have a named contract manager"
            )
        for field_name, (column, names) in self.names.items():
            self.assign_many(plan, field_name, self.many(row, column, names))
        self.validate(row, plan.instance)
        return plan


IMPORTERS: dict[str, type[RowImporter]] = {
    Kind.OFFICERS: OfficerImporter,
    Kind.RESPONSIBILITIES: ResponsibilityImporter,
    Kind.PROVIDERS: ProviderImporter,
}

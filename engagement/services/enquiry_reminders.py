"""The daily enquiry reminders: a warning the working day before an enquiry is due, an escalation once it is late.

Run each morning by engagement.tasks.send_enquiry_reminders. On a weekend or bank holiday it does nothing: the
Friday run has already warned of what is due on the Monday. An enquiry waiting for the provider (the clock paused)
or resolved is left alone.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from directory.models import Officer
from engagement.models import Enquiry, EnquiryEvent
from portal.working_days import is_working_day, working_days_after, working_days_between

# Who a manager is: the most senior of these in the team, head of service first.
_SENIORITY_RANK = {Officer.Seniority.HEAD_OF_SERVICE: 0, Officer.Seniority.MANAGER: 1}


@dataclass(frozen=True)
class _Leaders:
    """The active managers and heads of service of the teams and directorates concerned, read in one query."""

    officers: list[Officer]

    @classmethod
    def of(cls, enquiries: Iterable[Enquiry], *, today: dt.date) -> "_Leaders":
        teams = {_team(enquiry) for enquiry in enquiries}
        if not teams:
            return cls([])
        directorates = {team.directorate_id for team in teams}
        leaders = (
            Officer.objects.active(on=today)
            .filter(seniority__in=_SENIORITY_RANK)
            .filter(Q(team__in=teams) | Q(team__directorate_id__in=directorates))
            .select_related("team")
            .only("full_name", "email", "seniority", "team_id", "team__directorate_id")
        )
        return cls(sorted(leaders, key=lambda officer: (_SENIORITY_RANK[officer.seniority], officer.pk)))

    def manager(self, enquiry: Enquiry) -> Officer | None:
        """The most senior manager or head of service in the assignee's team, other than the assignee."""
        team = _team(enquiry)
        return next(
            (
                officer
                for officer in self.officers
                if officer.team_id == team.pk and officer.pk != enquiry.assigned_officer_id
            ),
            None,
        )

    def head_of_service(self, enquiry: Enquiry) -> Officer | None:
        """The team's head of service, or else its directorate's, other than the assignee."""
        team = _team(enquiry)
        heads = [
            officer
            for officer in self.officers
            if officer.seniority == Officer.Seniority.HEAD_OF_SERVICE
            and officer.pk != enquiry.assigned_officer_id
        ]
        in_team = [officer for officer in heads if officer.team_id == team.pk]
        in_directorate = [officer for officer in heads if officer.team.directorate_id == team.directorate_id]
        return (in_team or in_directorate or [None])[0]


def _team(enquiry: Enquiry):
    """The assignee's team: the officer's own, or the team the enquiry is with."""
    return enquiry.assigned_officer.team if enquiry.assigned_officer_id else enquiry.assigned_team


def _assignee_address(enquiry: Enquiry, *, today: dt.date) -> str:
    """The officer who has it while in post, or else their team's mailbox."""
    officer = enquiry.assigned_officer
    if officer is not None and officer.email and _in_post(officer, today):
        return officer.email
    return _team(enquiry).mailbox


def _in_post(officer: Officer, today: dt.date) -> bool:
    return (officer.active_from is None or officer.active_from <= today) and (
        officer.active_to is None or officer.active_to >= today
    )


def _still_with_the_council() -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(status=Enquiry.Status.OPEN, paused_since__isnull=True)


def _candidates(enquiries: QuerySet[Enquiry]) -> list[Enquiry]:
    return list(
        enquiries.select_related("provider", "topic", "assigned_officer__team", "assigned_team").order_by(
            "due_on", "pk"
        )
    )


def enquiry_reminders_send(*, today: dt.date) -> dict[str, int]:
    """Warn of the enquiries due by the next working day and escalate the overdue ones; return how many of each.

    Each enquiry is claimed by a conditional update of warned_on (or escalated_on) in the same transaction as its
    email and timeline entry, so a second run the same day, or two at once, sends nothing more.
    """
    sent = {"warned": 0, "escalated": 0}
    if not is_working_day(today):
        return sent
    next_working_day = working_days_after(today, 1)
    due = _candidates(
        _still_with_the_council()
        .filter(due_on__gt=today, due_on__lte=next_working_day)
        .exclude(warned_on=today)
    )
    overdue = _candidates(_still_with_the_council().filter(due_on__lt=today).exclude(escalated_on=today))
    leaders = _Leaders.of([*due, *overdue], today=today)
    for enquiry in due:
        sent["warned"] += _warn(enquiry, leaders=leaders, today=today)
    for enquiry in overdue:
        sent["escalated"] += _escalate(enquiry, leaders=leaders, today=today)
    return sent


def _claim(enquiry: Enquiry, *, field: str, today: dt.date) -> bool:
    """Mark the enquiry as reminded today, unless it already is or has since been answered, paused or moved."""
    return bool(
        _still_with_the_council()
        .filter(pk=enquiry.pk, due_on=enquiry.due_on)
        .exclude(**{field: today})
        .update(**{field: today})
    )


def _warn(enquiry: Enquiry, *, leaders: _Leaders, today: dt.date) -> bool:
    assignee = _assignee_address(enquiry, today=today)
    manager = leaders.manager(enquiry)
    copied = _addresses([manager.email] if manager else [], leaving_out=[assignee])
    with transaction.atomic():
        if not _claim(enquiry, field="warned_on", today=today):
            return False
        _email("enquiry_due", enquiry, to=[assignee], cc=copied, manager=manager, today=today).send()
        _record(enquiry, EnquiryEvent.Kind.DUE_WARNING, [assignee, *copied])
    return True


def _escalate(enquiry: Enquiry, *, leaders: _Leaders, today: dt.date) -> bool:
    people = [leader for leader in (leaders.manager(enquiry), leaders.head_of_service(enquiry)) if leader]
    # A team with no manager or head of service in post: its mailbox hears of it instead.
    to = _addresses([leader.email for leader in people]) or [_team(enquiry).mailbox]
    with transaction.atomic():
        if not _claim(enquiry, field="escalated_on", today=today):
            return False
        _email("enquiry_overdue", enquiry, to=to, cc=[], manager=None, today=today).send()
        _record(enquiry, EnquiryEvent.Kind.ESCALATED, to)
    return True


def _addresses(emails: Iterable[str], *, leaving_out: Iterable[str] = ()) -> list[str]:
    """Each address once, in order, without those left out (compared without case)."""
    seen = {email.lower() for email in leaving_out}
    kept = []
    for email in emails:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            kept.append(email)
    return kept


def _email(
    template: str, enquiry: Enquiry, *, to: list[str], cc: list[str], manager: Officer | None, today: dt.date
) -> EmailMessage:
    context = {
        "enquiry": enquiry,
        "with_whom": enquiry.assigned_officer or enquiry.assigned_team,
        "manager": manager,
        "working_days_late": working_days_between(enquiry.due_on, today),
        "enquiry_url": f"{settings.SITE_URL}{reverse('engagement:enquiry-detail', args=[enquiry.pk])}",
        "queue_url": f"{settings.SITE_URL}{reverse('engagement:enquiry-queue')}",
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    return EmailMessage(
        # One line whatever the stored subject holds: a line break in a header would fail the whole job.
        subject=" ".join(render_to_string(f"engagement/emails/{template}_subject.txt", context).split()),
        body=render_to_string(f"engagement/emails/{template}.txt", context),
        to=to,
        cc=cc,
    )


def _record(enquiry: Enquiry, kind: str, recipients: list[str]) -> None:
    what = "Warned that it is due" if kind == EnquiryEvent.Kind.DUE_WARNING else "Escalated as overdue"
    EnquiryEvent.objects.create(
        enquiry=enquiry, kind=kind, is_internal=True, text=f"{what}: emailed {', '.join(recipients)}."
    )

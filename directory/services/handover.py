"""Handing an officer's duties to a successor when they leave or change role.

`officer_hand_over` is one transaction. It locks both officers, checks the handover makes sense (raising
`HandoverError`, which the view shows as an error summary), runs every registered *mover*, passes on the leaving
officer's market leadership, sets their `active_to` to the handover date and records a `Handover` with the
counts. If anything raises, nothing has moved and no email has been written to the outbox.

Movers
------
What moves is not hard-wired: each part of the portal that gives officers duties registers a mover here::

    from directory.services.handover import Mover, mover_register

    mover_register(
        Mover(
            name="engagement.forum_commitments",
            label="Forum commitments",
            record_as=Mover.COMMITMENTS,
            move=forum_commitments_hand_over,   # (*, leaving, successor, effective_on) -> int moved
            count=forum_commitments_to_hand_over,  # (*, leaving, effective_on) -> int that would move
        )
    )

from its `AppConfig.ready()` (engagement's forum commitments, enquiries and so on). A mover

- takes keyword arguments only, moves what the leaving officer holds to the successor inside the caller's
  transaction, and returns how many things it moved;
- has a `count` twin with no side effects, so the handover screen can preview it;
- adds its count to one of the Handover's counters (`record_as`), or to none;
- may write emails with django.core.mail (the outbox records them in the same transaction); it must not do
  anything that cannot be rolled back.

The directory registers its own three below: responsibilities, provider accounts (the providers for which the
leaving officer is contract manager, Tier One or not; each active one is emailed its new contact) and deputy
arrangements (officers whose deputy the leaving officer is). Deputy arrangements have no counter on the Handover
record; their count is in `Handover.moved` on the object `officer_hand_over` returns.

Market leadership: the successor takes over the leaving officer's market lead only when they lead nothing
themselves; otherwise the leaving officer keeps the mark (they are no longer in post after the handover date)
and an editor chooses a new lead on the officer's page.

Duties move when the handover is confirmed, whatever its date: `effective_on` becomes the leaving officer's
`active_to` and is the date providers are told. A responsibility keeps its team: the team mailbox is the fallback answer whoever the named officer is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_update_with_history

from directory.models import Handover, Officer, ProviderOrganisation, Responsibility
from directory.selectors.handover import handover_already_made, handover_email_recipients
from portal.service_errors import ServiceError


class HandoverError(ServiceError):
    """A handover that cannot be made."""


class MoveFunction(Protocol):
    def __call__(self, *, leaving: Officer, successor: Officer, effective_on: date) -> int: ...


class CountFunction(Protocol):
    def __call__(self, *, leaving: Officer, effective_on: date) -> int: ...


@dataclass(frozen=True)
class Mover:
    """One kind of duty that moves from a leaving officer to their successor."""

    RESPONSIBILITIES: ClassVar[str] = "responsibilities_moved"
    PROVIDERS: ClassVar[str] = "providers_moved"
    COMMITMENTS: ClassVar[str] = "commitments_moved"
    COUNTERS: ClassVar[tuple[str, ...]] = (RESPONSIBILITIES, PROVIDERS, COMMITMENTS)

    name: str
    label: str
    move: MoveFunction
    count: CountFunction
    record_as: str | None = None

    def __post_init__(self) -> None:
        if self.record_as is not None and self.record_as not in self.COUNTERS:
            raise ValueError(f"{self.name}: record_as must be one of {self.COUNTERS} or None")


_MOVERS: dict[str, Mover] = {}


def mover_register(mover: Mover) -> Mover:
    """Add a mover; every handover from now on runs it, in the order movers were registered."""
    if mover.name in _MOVERS:
        raise ValueError(f"A handover mover called {mover.name!r} is already registered")
    _MOVERS[mover.name] = mover
    return mover


def registered_movers() -> tuple[Mover, ...]:
    return tuple(_MOVERS.values())


def handover_counts_preview(*, leaving: Officer, effective_on: date) -> list[tuple[Mover, int]]:
    """How much each mover would move now; reads only."""
    return [(mover, mover.count(leaving=leaving, effective_on=effective_on)) for mover in registered_movers()]


def officer_hand_over(
    *, leaving: Officer, successor: Officer, effective_on: date, made_by, note: str = ""
) -> Handover:
    """Move everything `leaving` holds to `successor` from `effective_on`, all or nothing.

    The returned Handover carries `moved`, each mover's label and count, for the confirmation.
    """
    with transaction.atomic():
        leaving, successor = _lock_officers(leaving.pk, successor.pk)
        _check(leaving=leaving, successor=successor, effective_on=effective_on)
        counters = dict.fromkeys(Mover.COUNTERS, 0)
        moved: dict[str, int] = {}
        for mover in registered_movers():
            count = mover.move(leaving=leaving, successor=successor, effective_on=effective_on)
            moved[mover.label] = count
            if mover.record_as:
                counters[mover.record_as] += count
        reason = _change_reason(leaving, successor)
        changed = ["active_to"]
        if _pass_on_market_lead(leaving=leaving, successor=successor, made_by=made_by, reason=reason):
            changed.append("market_lead")
        leaving.active_to = effective_on
        _save_officer(leaving, changed, made_by=made_by, reason=reason)
        handover = Handover.objects.create(
            leaving_officer=leaving,
            successor=successor,
            effective_on=effective_on,
            made_by=made_by,
            note=note,
            **counters,
        )
    handover.moved = moved
    return handover


def _lock_officers(leaving_pk: int, successor_pk: int) -> tuple[Officer, Officer]:
    if leaving_pk == successor_pk:
        officer = Officer.objects.get(pk=leaving_pk)
        raise HandoverError(
            f"{officer} cannot hand over to themself. Choose another officer", field="successor"
        )
    # Always in primary-key order, so two handovers touching the same officers cannot deadlock.
    locked = {
        officer.pk: officer
        for officer in Officer.objects.select_for_update()
        .filter(pk__in=[leaving_pk, successor_pk])
        .order_by("pk")
    }
    return locked[leaving_pk], locked[successor_pk]


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def _check(*, leaving: Officer, successor: Officer, effective_on: date) -> None:
    today = timezone.localdate()
    if leaving.active_to is not None and leaving.active_to < today:
        raise HandoverError(
            f"{leaving} left on {_day(leaving.active_to)}: their duties can no longer be handed over"
        )
    earlier = handover_already_made(leaving=leaving)
    if earlier is not None:
        raise HandoverError(
            f"{leaving}’s duties were already handed over to {earlier.successor} from {_day(earlier.effective_on)}"
        )
    if leaving.active_from is not None and effective_on < leaving.active_from:
        raise HandoverError(
            f"The handover date must be on or after {_day(leaving.active_from)}, when {leaving} started",
            field="effective_on",
        )
    started = successor.active_from is None or successor.active_from <= effective_on
    stays = successor.active_to is None or successor.active_to >= max(effective_on, today)
    if not (started and stays):
        raise HandoverError(
            f"{successor} is not in post on {_day(effective_on)}. Choose an officer who is",
            field="successor",
        )


def _change_reason(leaving: Officer, successor: Officer) -> str:
    return f"Handover from {leaving} to {successor}"


def _save_officer(officer: Officer, fields: list[str], *, reason: str, made_by=None) -> None:
    # With no user given, the change history takes the signed-in user from the request, as for any other save.
    if made_by is not None:
        officer._history_user = made_by
    officer._change_reason = reason
    officer.save(update_fields=[*fields, "updated_at"])


def _pass_on_market_lead(*, leaving: Officer, successor: Officer, made_by, reason: str) -> bool:
    """Give the successor the leaving officer's market lead if they have none; the caller saves `leaving`."""
    if not leaving.market_lead or successor.market_lead:
        return False
    successor.market_lead = leaving.market_lead
    leaving.market_lead = ""
    _save_officer(successor, ["market_lead"], made_by=made_by, reason=reason)
    return True


# The directory's own movers.


def _responsibilities_to_move(leaving: Officer):
    return Responsibility.objects.filter(officer=leaving, retired_on__isnull=True)


def responsibilities_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    moving = list(_responsibilities_to_move(leaving).select_for_update())
    reason = _change_reason(leaving, successor)
    for responsibility in moving:
        # One save each, not a bulk update: the history of a responsibility also records its areas and
        # service types, which a bulk history row would leave out.
        responsibility.officer = successor
        responsibility._change_reason = reason
        responsibility.save(update_fields=["officer", "updated_at"])
    return len(moving)


def responsibilities_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    return _responsibilities_to_move(leaving).count()


def provider_accounts_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    """Make the successor contract manager of every provider the leaving officer manages, and tell them."""
    moving = list(ProviderOrganisation.objects.select_for_update().filter(contract_manager=leaving))
    for provider in moving:
        provider.contract_manager = successor
    bulk_update_with_history(
        moving,
        ProviderOrganisation,
        ["contract_manager"],
        default_change_reason=_change_reason(leaving, successor),
    )
    _email_new_contact(
        providers=[provider for provider in moving if provider.is_active],
        leaving=leaving,
        successor=successor,
        effective_on=effective_on,
    )
    return len(moving)


def provider_accounts_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    return ProviderOrganisation.objects.filter(contract_manager=leaving).count()


def deputy_arrangements_hand_over(*, leaving: Officer, successor: Officer, effective_on: date) -> int:
    """Officers whose deputy was the leaving officer get the successor as deputy.

    The successor cannot deputise for themself: if the leaving officer was their deputy, they get the leaving
    officer's own deputy instead, or none.
    """
    reason = _change_reason(leaving, successor)
    moving = list(Officer.objects.select_for_update().filter(deputy=leaving))
    for officer in moving:
        if officer.pk == successor.pk:
            officer.deputy_id = leaving.deputy_id if leaving.deputy_id != successor.pk else None
            # The successor's row is the locked instance the handover goes on to use.
            successor.deputy_id = officer.deputy_id
        else:
            officer.deputy = successor
        _save_officer(officer, ["deputy"], reason=reason)
    return len(moving)


def deputy_arrangements_to_hand_over(*, leaving: Officer, effective_on: date) -> int:
    return Officer.objects.filter(deputy=leaving).count()


def _email_new_contact(
    *, providers: list[ProviderOrganisation], leaving: Officer, successor: Officer, effective_on: date
) -> None:
    """One email per provider, to its contact-list recipients and its users, naming the new contract manager."""
    recipients = handover_email_recipients(provider_ids=[provider.pk for provider in providers])
    successor_team = successor.team
    messages = []
    for provider in providers:
        addresses = recipients.get(provider.pk)
        if not addresses:
            continue
        context = {
            "provider": provider,
            "leaving": leaving,
            "successor": successor,
            "team": successor_team,
            "effective_on": effective_on,
            "council_name": settings.COUNCIL_NAME,
            "provider_url": settings.SITE_URL + reverse("directory:provider-detail", args=[provider.pk]),
        }
        subject = render_to_string("directory/emails/handover_new_contact_subject.txt", context)
        body = render_to_string("directory/emails/handover_new_contact.txt", context)
        messages.append(EmailMessage(" ".join(subject.split()), body, to=addresses))
    if messages:
        get_connection().send_messages(messages)


mover_register(
    Mover(
        name="directory.responsibilities",
        label="Responsibilities",
        record_as=Mover.RESPONSIBILITIES,
        move=responsibilities_hand_over,
        count=responsibilities_to_hand_over,
    )
)
mover_register(
    Mover(
        name="directory.provider_accounts",
        label="Provider accounts",
        record_as=Mover.PROVIDERS,
        move=provider_accounts_hand_over,
        count=provider_accounts_to_hand_over,
    )
)
mover_register(
    Mover(
        name="directory.deputy_arrangements",
        label="Deputy arrangements",
        record_as=None,
        move=deputy_arrangements_hand_over,
        count=deputy_arrangements_to_hand_over,
    )
)

"""The demo company's last months of work: opportunities through the pipeline, interactions, cases and ratings.

Everything is written through the product's services (so it obeys every rule), then dated back over the last five
months — the services stamp "now", and a demo needs a history. Built once: if the pipeline already has
opportunities, nothing is added.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases import services as case_services
from rapport.cases import sla
from rapport.cases.choices import CaseCategory, CaseEventKind, CasePriority, Channel
from rapport.cases.models import Case, CaseEvent
from rapport.clients.choices import ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.compensation.served import rebuild_served
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.services import rating_submit
from rapport.feedback.tokens import new_token, token_hash
from rapport.managers.models import ClientManager
from rapport.pipeline import services as pipeline_services
from rapport.pipeline.choices import LostReason, Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange

DEAL_TITLES = [
    "Annual service contract",
    "Fleet maintenance",
    "Warehouse automation",
    "Software licences",
    "Energy audit",
    "Logistics partnership",
    "Office equipment",
    "Training programme",
]
CASE_SUBJECTS = [
    ("Invoice does not match the contract", CaseCategory.BILLING),
    ("Delivery arrived incomplete", CaseCategory.COMPLAINT),
    ("Cannot log in to the customer portal", CaseCategory.TECHNICAL),
    ("Request for a volume discount", CaseCategory.REQUEST),
    ("Question about payment terms", CaseCategory.QUESTION),
    ("Machine stopped after the update", CaseCategory.TECHNICAL),
    ("Wrong VAT on the last invoice", CaseCategory.BILLING),
]
SUMMARIES = [
    "Quarterly review of the cooperation.",
    "Discussed the next order and delivery dates.",
    "Presented the new price list.",
    "Checked satisfaction after the last delivery.",
    "Agreed on the agenda of the next meeting.",
]
COMMENTS = ["Quick and helpful.", "Understood the problem at once.", "", "Took a while, but solved.", "Very kind."]
ORDER = [Stage.NEW, Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER]


def _moment(now: datetime.datetime, days_ago: float) -> datetime.datetime:
    return now - datetime.timedelta(days=days_ago)


@transaction.atomic
def build_activity(*, rng: random.Random, boss) -> bool:
    """Add the demo's pipeline, interactions, cases and ratings once; return whether anything was added."""
    if Opportunity.objects.exists():
        return False
    now = timezone.now()
    managers = list(ClientManager.objects.filter(employment_status="active").select_related("user"))
    _pipeline(rng, boss, managers, now)
    _interactions(rng, now)
    _cases(rng, boss, now)
    rebuild_served(replace=True)  # events were dated back after they were recorded: pairs as dated now
    return True


NEW_PROSPECTS = [
    ("Kárpát Faipari Kft.", "legal_entity"),
    ("Balaton Borház Zrt.", "legal_entity"),
    ("Hegyvidék Autóház Kft.", "legal_entity"),
    ("Mátra Energia Bt.", "legal_entity"),
    ("Alföld Agrár Zrt.", "legal_entity"),
    ("Duna Csomagolás Kft.", "legal_entity"),
    ("Szilágyi Réka", "individual"),
    ("Vörös Tamás", "individual"),
    ("Bakony Kőbánya Kft.", "legal_entity"),
    ("Tokaj Vendéglátó Kft.", "legal_entity"),
]


def _new_prospects(rng, managers) -> None:
    """Prospects the managers found themselves (created from the pipeline, with the duplicate checks)."""
    for index, (name, kind) in enumerate(NEW_PROSPECTS):
        manager = managers[index % len(managers)]
        data = {"kind": kind, "name": name, "email": f"prospect{index + 1}@example.hu", "country": "HU"}
        if kind == "legal_entity":
            data["registration_number"] = f"01-09-{900001 + index:06d}"
        pipeline_services.prospect_create(
            actor=manager.user, data=data, title=f"{rng.choice(DEAL_TITLES)} · {name}", confirm_similar=True
        )


def _pipeline(rng, boss, managers, now) -> None:
    _new_prospects(rng, managers)
    opened = dict(Opportunity.objects.values_list("client_id", "pk"))
    prospects = list(Client.objects.filter(status=ClientStatus.PROSPECT).order_by("pk"))
    for index, client in enumerate(prospects):
        current = Assignment.objects.filter(client=client, end_date__isnull=True).select_related("manager").first()
        if client.pk in opened:
            opportunity = Opportunity.objects.select_related("manager__user").get(pk=opened[client.pk])
            manager = opportunity.manager
        else:
            manager = current.manager if current and current.manager.is_active else rng.choice(managers)
            opportunity = pipeline_services.opportunity_create(
                actor=boss, client=client, manager=manager, title=f"{rng.choice(DEAL_TITLES)} · {client.name}"
            )
        # Where it ends: a third won, a fifth lost, the rest still open at some stage.
        roll = rng.random()
        target = Stage.WON if roll < 0.35 else (Stage.LOST if roll < 0.55 else ORDER[index % 4])
        path = [*ORDER[1:], Stage.WON] if target == Stage.WON else []
        if target == Stage.LOST:
            path = [*ORDER[1 : rng.randrange(1, 4)], Stage.LOST]
        elif target in ORDER:
            path = ORDER[1 : ORDER.index(target) + 1]
        actor = manager.user
        for stage in path:
            motivation = None
            if stage in (Stage.OFFER, Stage.WON) and client.motivation == Motivation.UNKNOWN:
                motivation = rng.choice([Motivation.ADVICE, Motivation.DECISION, Motivation.PARTNERSHIP])
            pipeline_services.opportunity_move(
                opportunity=opportunity,
                to_stage=stage,
                actor=actor,
                motivation=motivation,
                lost_reason=rng.choice([LostReason.PRICE, LostReason.COMPETITOR, LostReason.NO_RESPONSE])
                if stage == Stage.LOST
                else "",
            )
            client.refresh_from_db()
        _date_back_opportunity(rng, opportunity.pk, now)


def _date_back_opportunity(rng, opportunity_id: int, now) -> None:
    """Spread an opportunity's stage changes over the past months, keeping their order."""
    days = rng.uniform(20, 150)
    start = _moment(now, days)
    changes = list(StageChange.objects.filter(opportunity_id=opportunity_id).order_by("at", "pk"))
    step = days / (len(changes) + 1)
    moment = start
    for change in changes:
        StageChange.objects.filter(pk=change.pk).update(at=moment)
        last = moment
        moment = moment + datetime.timedelta(days=rng.uniform(0.5, step))
    opportunity = Opportunity.objects.get(pk=opportunity_id)
    closed = last if opportunity.closed_at else None
    Opportunity.objects.filter(pk=opportunity_id).update(
        created_at=start, stage_changed_at=last, closed_at=closed, updated_at=timezone.now()
    )
    acquisition = Acquisition.objects.filter(opportunity_id=opportunity_id).first()
    if acquisition is not None:
        day = timezone.localtime(last).date()
        Acquisition.objects.filter(pk=acquisition.pk).update(acquired_on=day)
        Client.objects.filter(pk=acquisition.client_id).update(acquired_on=day, updated_at=timezone.now())
        Assignment.objects.filter(client_id=acquisition.client_id, reason="acquisition", end_date__isnull=True).update(
            start_date=day
        )


def _interactions(rng, now) -> None:
    assignments = list(
        Assignment.objects.filter(end_date__isnull=True).select_related("client", "manager__user").order_by("pk")
    )
    for assignment in assignments[::2]:
        for _ in range(rng.randrange(1, 5)):
            occurred = _moment(now, rng.uniform(0.2, 140))
            follow_up = None
            if rng.random() < 0.2:
                follow_up = timezone.localdate() + datetime.timedelta(days=rng.randrange(-5, 15))
            case_services.interaction_log(
                actor=assignment.manager.user,
                client=assignment.client,
                data={
                    "channel": rng.choice(Channel.values),
                    "occurred_at": occurred,
                    "summary": rng.choice(SUMMARIES),
                    "outcome": rng.choice(["", "Offer to send by Friday.", "Satisfied.", "Wants a visit."]),
                    "follow_up_on": follow_up,
                },
            )


def _cases(rng, boss, now) -> None:
    assigned = list(
        Assignment.objects.filter(end_date__isnull=True).select_related("client", "manager__user").order_by("pk")
    )
    pool_clients = list(Client.objects.filter(status=ClientStatus.ACTIVE, assignments__isnull=True).order_by("pk")[:20])
    targets = [(a.client, a.manager.user) for a in assigned[1::3]] + [(c, boss) for c in pool_clients[::2]]
    for index, (client, opener) in enumerate(targets):
        subject, category = rng.choice(CASE_SUBJECTS)
        priority = rng.choice([CasePriority.LOW, CasePriority.NORMAL, CasePriority.NORMAL, CasePriority.HIGH])
        case = case_services.case_open(
            actor=opener,
            client=client,
            data={
                "subject": subject,
                "description": f"{subject}. Reported by phone.",
                "category": category,
                "priority": priority,
            },
        )
        if case.handler is None:
            continue
        worker = case.handler.user
        # How far it got: most are solved, some still open (a few of them late).
        progress = index % 7
        if progress >= 1:
            case_services.case_acknowledge(
                case=case, actor=worker, problem_statement=f"The client reports: {subject.lower()}."
            )
        if progress >= 2:
            case_services.case_start(case=case, actor=worker)
        if progress >= 3:
            case_services.case_resolve(case=case, actor=worker, resolution="Corrected and confirmed with the client.")
        if progress >= 5:
            case_services.case_close(case=case, actor=worker)
        opened = _moment(now, rng.uniform(0.3, 120) if progress else rng.uniform(0.2, 3))
        _date_back_case(rng, case.pk, opened, now)
    _ratings(rng, now)


def _date_back_case(rng, case_id: int, opened: datetime.datetime, now) -> None:
    """Move a case's timeline to start at ``opened``: its due times follow, events keep their order."""
    case = Case.objects.get(pk=case_id)
    acknowledge_due, resolve_due = sla.due_times(opened_at=opened, priority=case.priority, vip=case.client_was_vip)
    moment = opened
    times = {}
    for event in CaseEvent.objects.filter(case_id=case_id).order_by("at", "pk"):
        if event.kind in (
            CaseEventKind.ACKNOWLEDGED,
            CaseEventKind.STARTED,
            CaseEventKind.RESOLVED,
            CaseEventKind.CLOSED,
        ):
            moment = min(moment + datetime.timedelta(hours=rng.uniform(0.5, 40)), now)
        CaseEvent.objects.filter(pk=event.pk).update(at=moment)
        times[event.kind] = moment
    Case.objects.filter(pk=case_id).update(
        opened_at=opened,
        created_at=opened,
        acknowledge_due_at=acknowledge_due,
        resolve_due_at=resolve_due,
        acknowledged_at=times.get(CaseEventKind.ACKNOWLEDGED) if case.acknowledged_at else None,
        resolved_at=times.get(CaseEventKind.RESOLVED) if case.resolved_at else None,
        closed_at=times.get(CaseEventKind.CLOSED) if case.closed_at else None,
        updated_at=timezone.now(),
    )
    RatingRequest.objects.filter(case_id=case_id).update(created_at=times.get(CaseEventKind.RESOLVED, opened))


def _ratings(rng, now) -> None:
    """Most clients asked to rate did so: the demo stands in for the e-mail (it makes the link's token itself)."""
    for request in RatingRequest.objects.filter(sent_at__isnull=True).order_by("pk"):
        token = new_token()
        RatingRequest.objects.filter(pk=request.pk).update(
            token_hash=token_hash(token), sent_at=now, expires_at=now + datetime.timedelta(days=30)
        )
        if rng.random() < 0.75:
            stars = rng.choice([5, 5, 5, 4, 4, 4, 3, 2])
            rating = rating_submit(token=token, stars=stars, comment=rng.choice(COMMENTS))
            rated_at = min(request.created_at + datetime.timedelta(hours=rng.uniform(1, 72)), now)
            Rating.objects.filter(pk=rating.pk).update(created_at=rated_at)
            RatingRequest.objects.filter(pk=request.pk).update(used_at=rated_at)
            CaseEvent.objects.filter(case_id=request.case_id, kind=CaseEventKind.RATED).update(at=rated_at)
        sent = request.created_at + datetime.timedelta(minutes=5)
        RatingRequest.objects.filter(pk=request.pk).update(sent_at=sent, expires_at=sent + datetime.timedelta(days=30))

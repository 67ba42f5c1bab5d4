"""A client whose personal data is spread over every app, with values distinctive enough to search a dump for."""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.clients.models import Client
from rapport.core.history import save_with_history
from rapport.core.testing import make_case, make_client, make_interaction, make_manager, make_opportunity, make_user
from rapport.dataio.models import ImportJob, ImportRow, JobStatus
from rapport.feedback.choices import RequestSubject
from rapport.feedback.models import Rating, RatingRequest
from rapport.hiring.models import ClientBaseEntry
from rapport.hiring.tests.support import make_candidate
from rapport.pipeline.choices import Stage

NAME = "Zebulon Quixwell"
FORMER_NAME = "Zebulon Quixwell-Old"
EMAIL = "zebulon.quixwell@example.org"
PHONE = "+36 30 987 6543"
STORED_PHONE = "+36309876543"
REGISTRATION_NUMBER = "01-09-771177"


def make_person(**fields) -> Client:
    """An individual client called ``NAME``, renamed once (so the history holds ``FORMER_NAME``)."""
    fields.setdefault("kind", "individual")
    client = make_client(name=FORMER_NAME, email=EMAIL, phone=PHONE, address="Quixwell utca 7", **fields)
    client.name = NAME
    save_with_history(client, actor=make_user(Role.MANAGEMENT), reason="update")
    return client


def _closed_case(resolver) -> dict:
    now = timezone.now()
    return {
        "status": CaseStatus.CLOSED,
        "acknowledged_at": now,
        "problem_statement": f"{NAME} is locked out",
        "resolution": f"Unlocked for {NAME}",
        "resolved_at": now,
        "resolved_by": resolver,
        "closed_at": now,
    }


def spread_personal_data(client: Client, *, closed: bool = True) -> dict:
    """Personal data of ``client`` in cases, interactions, ratings, the pipeline, hiring, imports and the admin
    log, all mentioning the client's name; with ``closed`` nothing is left open (no retention hold)."""
    manager = make_manager()
    closed_case = _closed_case(manager)
    case = make_case(
        client,
        handler=manager,
        subject=f"{NAME} cannot log in",
        description=f"{NAME} called from {PHONE}.",
        **(closed_case if closed else {}),
    )
    interaction = make_interaction(client, manager, summary=f"Met {NAME}", outcome=f"Write to {EMAIL}")
    request = RatingRequest.objects.create(
        client=client,
        manager=manager,
        subject=RequestSubject.INTERACTION,
        interaction=interaction,
        email=EMAIL,
        language="en",
        created_at=timezone.now(),
    )
    Rating.objects.create(
        request=request,
        client=client,
        manager=manager,
        stars=5,
        comment=f"Thanks, {NAME} here",
        created_at=timezone.now(),
    )
    opportunity = make_opportunity(
        client,
        manager,
        title=f"{NAME} renewal",
        note=f"Call {PHONE}",
        stage=Stage.LOST if closed else Stage.NEW,
        lost_reason="price" if closed else "",
    )
    entry = ClientBaseEntry.objects.create(
        candidate=make_candidate(), row=2, kind="individual", name=NAME, email=EMAIL, phone=PHONE, match_client=client
    )
    admin = make_user(Role.ADMIN)
    job = ImportJob.objects.create(
        kind="clients",
        status=JobStatus.DONE,
        filename="clients.csv",
        file_format="csv",
        data=f"name,email,phone\nSomebody Else,else@example.org,\n{NAME},{EMAIL},{PHONE}\n".encode(),
        headers=["name", "email", "phone"],
        created_by=admin,
        finished_at=timezone.now(),
    )
    ImportRow.objects.create(job=job, line=3, outcome="updated", key=EMAIL, label=NAME)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Client),
        object_id=str(client.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed phone to {PHONE}",
        action_time=timezone.now() - datetime.timedelta(days=1),
    )
    return {"case": case, "interaction": interaction, "opportunity": opportunity, "entry": entry, "job": job}

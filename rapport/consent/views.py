"""Pages of consent: the consent block of a client's page (htmx) and the client's own consent page.

The client's page needs no login: the link's token is the client's only credential. It speaks the language the
link was sent in, is never cached or indexed, and answers unknown links with 404 and expired ones with 410. Giving
and withdrawing are the same single click.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapport.clients import selectors as client_selectors
from rapport.clients.models import Client
from rapport.consent import selectors, services
from rapport.consent.choices import LinkState
from rapport.consent.forms import ConsentActionForm, ConsentRecordForm

HISTORY_SHOWN = 10
LINK_STATUS = {LinkState.INVALID: 404, LinkState.EXPIRED: 410}


def _client(request, pk) -> Client:
    try:
        return client_selectors.client_get(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404 from exc


def section_context(request, client, *, errors=(), notice: str = "") -> dict:
    """What the consent block of a client's page shows to ``request.user``."""
    user = request.user
    return {
        "client": client,
        "states": selectors.client_consent_states(client=client),
        "history": list(selectors.consent_history(user=user, client=client)[:HISTORY_SHOWN]),
        "can_record": services.may_record(user, client) and client.anonymised_at is None,
        "sources": ConsentRecordForm.base_fields["source"].choices,
        "errors": list(errors),
        "notice": notice,
        "request": request,
    }


def _answer(request, client, *, errors=(), notice=""):
    """The consent block for htmx, else back to the client's page with the outcome as a message."""
    if request.htmx:
        context = section_context(request, client, errors=errors, notice=notice)
        return render(request, "consent/_client_consent.html", context)
    for error in errors:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return redirect("clients:detail", pk=client.pk)


def _form_errors(form) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@login_required
@require_GET
def client_consent(request, pk):
    """The consent block of a client's page alone (htmx refresh), or the client's page."""
    client = _client(request, pk)
    if not request.htmx:
        return redirect("clients:detail", pk=client.pk)
    return render(request, "consent/_client_consent.html", section_context(request, client))


@login_required
@require_POST
def client_consent_record(request, pk):
    """Record consent given or withdrawn, as the client told a user (phone, in person, written form)."""
    client = _client(request, pk)
    if not services.may_record(request.user, client):
        raise PermissionDenied
    form = ConsentRecordForm(request.POST)
    if not form.is_valid():
        return _answer(request, client, errors=_form_errors(form))
    try:
        record = services.consent_record(
            client=client,
            purpose=form.cleaned_data["purpose"],
            granted=form.granted,
            source=form.cleaned_data["source"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        return _answer(request, client, errors=exc.messages)
    if record.granted:
        notice = _("Consent to %(purpose)s recorded as given.") % {"purpose": record.version.title()}
    else:
        notice = _("Consent to %(purpose)s recorded as withdrawn.") % {"purpose": record.version.title()}
    return _answer(request, client, notice=notice)


@login_required
@require_POST
def client_consent_link_send(request, pk):
    """E-mail the client a link to their own consent page."""
    client = _client(request, pk)
    if not services.may_record(request.user, client):
        raise PermissionDenied
    try:
        services.consent_link_send(client=client, actor=request.user)
    except ValidationError as exc:
        return _answer(request, client, errors=exc.messages)
    return _answer(request, client, notice=_("The consent link was sent to %(email)s.") % {"email": client.email})


def _private(view):
    """Keep a page reached by a personal link out of caches, referrers and search engines."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        # "same-origin": the page posts its own forms (Django's CSRF check needs the Referer); it links nowhere else.
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _my_consents(request, token, state, link):
    if state != LinkState.VALID:
        return render(
            request, "consent/mine_closed.html", {"state": state, "states": LinkState}, status=LINK_STATUS[state]
        )
    errors, notice = [], ""
    if request.method == "POST":
        form = ConsentActionForm(request.POST)
        if form.is_valid():
            try:
                record = services.consent_record_by_link(
                    token=token, purpose=form.cleaned_data["purpose"], granted=form.granted
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                if record.granted:
                    notice = _("Thank you: your consent to %(purpose)s is recorded.")
                else:
                    notice = _("Done: your consent to %(purpose)s is withdrawn.")
                notice = notice % {"purpose": record.version.title()}
        else:
            errors = _form_errors(form)
    context = {
        "client": link.client,
        "link": link,
        "states": selectors.client_consent_states(client=link.client),
        "errors": errors,
        "notice": notice,
    }
    return render(request, "consent/mine.html", context)


@require_http_methods(["GET", "POST"])
@_private
def my_consents(request, token):
    """The client's own consent page behind their link: every purpose with its wording and state, and one button
    to withdraw (or give) each."""
    state, link = services.link_lookup(token)
    language = link.language if link else translation.get_language()
    with translation.override(language):
        response = _my_consents(request, token, state, link)
    response["Content-Language"] = language
    return response

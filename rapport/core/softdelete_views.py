"""The pages of recoverable deletes (see ``rapport.core.softdelete``): a confirmation page for the Delete action of a
record's page. The apps' views find the record (404 out of sight), check the role and call ``delete_page``."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from rapport.core.softdelete import restore_days


def delete_page(
    request,
    *,
    obj,
    delete: Callable,
    blockers: list[str],
    consequences: list[str],
    cancel_url: str,
    done_url: str,
    done_message: str,
):
    """GET: the confirmation page, listing what stops the delete if anything does. POST (CSRF-checked): call
    ``delete(obj, actor)``; on success go to ``done_url`` with ``done_message``, on refusal show the page again with
    the refusal (400), nothing changed."""
    errors = []
    if request.method == "POST":
        try:
            delete(obj, request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    context = {
        "object": obj,
        "errors": errors,
        "blockers": [] if errors else blockers,
        "consequences": consequences,
        "cancel_url": cancel_url,
        "restore_days": restore_days(),
    }
    return render(request, "core/confirm_delete.html", context, status=400 if errors else 200)

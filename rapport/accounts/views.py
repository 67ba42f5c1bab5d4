"""Home: send each role to the page it works from."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from rapport.accounts import roles


@login_required
def home(request):
    """Clients for those who work with clients; managers for HR and Payroll."""
    user = request.user
    if roles.sees_all_clients(user) or roles.is_client_manager(user):
        return redirect("clients:list")
    if roles.sees_all_managers(user):
        return redirect("managers:list")
    return redirect("no_role")


@login_required
def no_role(request):
    from django.shortcuts import render

    return render(request, "accounts/no_role.html")

"""The manager import: user accounts and client-manager profiles, matched on external id, else username.

Managers are few (thousands), so each row is checked on a model instance with the model's own ``full_clean()``
and the service's rule that a profile change may not strand a current client (``check_portfolio``); the rows
are then written in bulk with their history (django-simple-history's bulk helpers). A username without an
account gets a new active account without a password (an administrator sets one) and the Client
manager role, as ``manager_create`` gives it.
"""

from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rapport.accounts.roles import Role
from rapport.dataio.errors import DataImportError
from rapport.dataio.report import Outcome, Progress, Report
from rapport.dataio.rows import typed_batches
from rapport.dataio.validation import Column, RowError, column_kind, errors_from
from rapport.managers.forms import ManagerForm
from rapport.managers.models import ClientManager
from rapport.managers.services import check_portfolio

USER_FIELDS = ("username", "first_name", "last_name", "email")
PROFILE_FIELDS = (
    "external_id",
    "manager_type",
    "level",
    "work_mode",
    "vip_qualified",
    "capacity",
    "employment_status",
    "status_since",
    "hire_date",
    "dismissal_date",
    "years_of_experience",
)
HISTORY_REASON = "import"


def manager_columns(names) -> dict[str, Column]:
    """The parsers of the mapped fields: the manager form's fields, else the model fields' form fields."""
    User = get_user_model()
    columns = {}
    for name in names:
        if name in USER_FIELDS:
            form_field = User._meta.get_field(name).formfield()
        else:
            form_field = ManagerForm.base_fields.get(name) or ClientManager._meta.get_field(name).formfield()
            if name == "status_since":
                # As on the form: empty means the hire date (or today, when the status changes).
                form_field.required = False
        columns[name] = Column(name, form_field, kind=column_kind(form_field))
    return columns


class ManagerImport:
    """One run of the manager import."""

    def __init__(self, *, mapping: dict[int, str], actor, dry_run: bool, report: Report, estimated_rows: int):
        self.mapping = mapping
        self.mapped = set(mapping.values())
        self.columns = manager_columns(self.mapped)
        self.actor = actor
        self.dry_run = dry_run
        self.report = report
        self.estimated_rows = estimated_rows
        self.seen: set[str] = set()

    def run(self, rows: Iterator[tuple[str, ...]], *, progress: Progress, on_batch: Callable[[int], None]) -> None:
        User = get_user_model()
        profiles = {m.pk: m for m in ClientManager.objects.select_related("user")}
        by_external = {m.external_id: m for m in profiles.values() if m.external_id}
        by_username = {m.user.username: m for m in profiles.values()}
        done = 0
        for number, batch in enumerate(typed_batches(rows, self.mapping, self.columns), start=1):
            usernames = [values.get("username") for _line, values, _errors in batch]
            users = {u.username: u for u in User.objects.filter(username__in=[u for u in usernames if u])}
            new_users, new_profiles, changed_users, changed_profiles = [], [], [], []
            for line, values, errors in batch:
                username = values.get("username") or ""
                key = values.get("external_id") or username
                if errors:
                    self.report.add(line, Outcome.REFUSED, key=key, label=username, errors=errors)
                    continue
                if key in self.seen or username in self.seen:
                    self.report.add(line, Outcome.REFUSED, key=key, label=username, errors=[_duplicate()])
                    continue
                self.seen.update({key, username})
                manager = by_external.get(values.get("external_id")) or by_username.get(username)
                outcome, row_errors, changed = self._row(
                    manager, values, users, new_users, new_profiles, changed_users, changed_profiles
                )
                self.report.add(line, outcome, key=key, label=username, errors=row_errors, changed=changed)
            if not self.dry_run:
                self._write(new_users, new_profiles, changed_users, changed_profiles)
            done += len(batch)
            progress(done, max(done, self.estimated_rows), "check" if self.dry_run else "write")
            on_batch(number)

    def _row(self, manager, values, users, new_users, new_profiles, changed_users, changed_profiles):
        User = get_user_model()
        is_new = manager is None
        if is_new:
            user = users.get(values["username"])
            if user is None:
                user = User(username=values["username"], is_active=True)
                user.set_unusable_password()
                new_user = True
            else:
                new_user = False
            manager = ClientManager(user=user)
            before_user, before_profile = {}, {}
        else:
            user = manager.user
            new_user = False
            before_user = {name: getattr(user, name) for name in USER_FIELDS}
            before_profile = {name: getattr(manager, name) for name in PROFILE_FIELDS}
        for name in USER_FIELDS:
            if name in values and name != "username":
                setattr(user, name, values[name] or "")
        old_status = manager.employment_status if not is_new else None
        for name in PROFILE_FIELDS:
            if name in values:
                setattr(manager, name, values[name])
        # The service's defaults (managers.services._apply): the status date follows a status change.
        if not is_new and manager.employment_status != old_status and "status_since" not in values:
            manager.status_since = timezone.localdate()
        if not manager.status_since:
            manager.status_since = manager.hire_date or timezone.localdate()
        try:
            if new_user:
                user.full_clean(exclude=["password"])
            manager.full_clean(exclude=["user"], validate_unique=False)
            if not is_new:
                check_portfolio(manager)
        except ValidationError as exc:
            return Outcome.REFUSED, errors_from("username", exc), []
        if is_new:
            if new_user:
                new_users.append(user)
            new_profiles.append(manager)
            return Outcome.CREATED, [], []
        changed = [n for n in USER_FIELDS if getattr(user, n) != before_user[n]]
        changed += [n for n in PROFILE_FIELDS if getattr(manager, n) != before_profile[n]]
        if not changed:
            return Outcome.UNCHANGED, [], []
        if any(n in USER_FIELDS for n in changed):
            changed_users.append(user)
        if any(n in PROFILE_FIELDS for n in changed):
            manager.updated_at = timezone.now()
            manager._history_date = manager.updated_at  # the version names this history record
            changed_profiles.append(manager)
        return Outcome.UPDATED, [], changed

    def _write(self, new_users, new_profiles, changed_users, changed_profiles) -> None:
        User = get_user_model()
        if new_users:
            User.objects.bulk_create(new_users)
            created = {u.username: u for u in User.objects.filter(username__in=[u.username for u in new_users])}
            for profile in new_profiles:
                if profile.user.pk is None:
                    profile.user = created[profile.user.username]
        if new_profiles:
            bulk_create_with_history(
                new_profiles, ClientManager, default_user=self.actor, default_change_reason=HISTORY_REASON
            )
            role = Group.objects.get(name=Role.CLIENT_MANAGER.value)
            links = User.groups.through
            have = set(
                links.objects.filter(group=role, user_id__in=[p.user_id for p in new_profiles]).values_list(
                    "user_id", flat=True
                )
            )
            links.objects.bulk_create(
                links(user_id=p.user_id, group_id=role.pk) for p in new_profiles if p.user_id not in have
            )
        if changed_users:
            User.objects.bulk_update(changed_users, ["first_name", "last_name", "email"])
        if changed_profiles:
            bulk_update_with_history(
                changed_profiles,
                ClientManager,
                [*PROFILE_FIELDS, "updated_at"],
                default_user=self.actor,
                default_change_reason=HISTORY_REASON,
            )


def _duplicate() -> RowError:
    return RowError("username", DataImportError.DUPLICATE_IN_FILE, _("An earlier row of the file has the same id."))

"""Compensation holds no client personal data (see ``rapport.privacy.registry``): statement evidence names clients
by id only, so an approved pay period keeps pointing at a client row that erasure anonymises but never deletes."""

from rapport.privacy.registry import register_no_personal_data


def register() -> None:
    from rapport.compensation import models

    plans = "pay plans, bands and periods: amounts, codes and Payroll's notes, no client's data"
    for model in (
        models.CompensationPlan,
        models.PlanVersion,
        models.SalaryBand,
        models.PayPeriod,
        models.LineOverride,
    ):
        register_no_personal_data(model, plans)
        register_no_personal_data(model.history.model, plans)
    evidence = "statement figures whose evidence names clients by id only"
    for model in (models.Statement, models.StatementLine, models.Adjustment):
        register_no_personal_data(model, evidence)
    register_no_personal_data(models.LineQuery, "a manager's question to Payroll about their own pay line")
    register_no_personal_data(models.ServedClientMonth, "which client a manager served in a month, by ids only")

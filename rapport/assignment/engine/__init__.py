"""The assignment engine: pure computation over frozen dataclasses and numpy arrays; no database imports.

``solve(problem) -> Solution`` distributes legal-entity clients over personal managers under the hard rules,
assigning as many clients as the rules allow and then minimising the total soft cost. ``validate`` checks a plan
independently; ``explain`` gives the reasons. See ``docs/assignment-engine.md`` for the model.
"""

from rapport.assignment.engine.explain import (
    COST_CODES,
    MESSAGES,
    RULE_CODES,
    UNASSIGNED_CODES,
    Explainer,
    PlanExplanation,
    assignment_reasons,
    change_reasons,
    continuity_status,
    describe,
    explain_plan,
    manager_loads,
    unassigned_reason,
)
from rapport.assignment.engine.solver import ClassTable, class_keys, solve
from rapport.assignment.engine.types import (
    LEVEL_CODES,
    MOTIVATION_CODES,
    NO_GROUP,
    NO_MANAGER,
    TYPE_CODES,
    Clients,
    Manager,
    Problem,
    Solution,
    Weights,
)
from rapport.assignment.engine.validate import objective, violations

__all__ = [
    "COST_CODES",
    "LEVEL_CODES",
    "MESSAGES",
    "MOTIVATION_CODES",
    "NO_GROUP",
    "NO_MANAGER",
    "RULE_CODES",
    "TYPE_CODES",
    "UNASSIGNED_CODES",
    "ClassTable",
    "Clients",
    "Explainer",
    "Manager",
    "PlanExplanation",
    "Problem",
    "Solution",
    "Weights",
    "assignment_reasons",
    "change_reasons",
    "class_keys",
    "continuity_status",
    "describe",
    "explain_plan",
    "manager_loads",
    "objective",
    "solve",
    "unassigned_reason",
    "violations",
]

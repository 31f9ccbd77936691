"""The matching engine: a pure, typed package (numpy, scipy, OR-Tools; no Django).

    pool = HouseholdPool(households)                      # encode the waiting households once
    shortlist(unit, pool, weights, settings, limit=20)     # ranked, explained candidates for one unit
    exclusion_reasons(unit, pool, household_ids=None)      # why each excluded household was excluded
    suggest(units, pool, weights, settings)                # region-wide optimum beside first come, first served
    exact_matching(value, ok)                              # the optimum over a value matrix, with its proof
    optimal_sparse(units, pool, k=20, ...)                 # the same beyond one region: best k per unit
    sufficiency(units, pool, settings)                     # profiles of waiting children and the gaps
    reach(units, pool, settings)                           # per unit: viable households, what blocks it

Hard constraints are never broken by a shortlist entry or a suggested pair: the approval covers the
unit (number of children, ages; open to siblings for a group), a sibling group is one unit, the
household is not in an excluded council nor, when a risk of identification is recorded, within
the identification radius of the birth family, it can meet every need at the required level, it
is approved and not already in an active link (and within the maximum distance, if one is set).
"""

from .assign import (
    ExactMatching,
    candidates,
    exact_matching,
    greedy,
    integer_weights,
    optimal_dense,
    optimal_exact,
    optimal_sparse,
    suggest,
    value_matrix,
)
from .core import HouseholdPool, UnitArrays
from .model import (
    FACTORS,
    Assignment,
    Candidate,
    Factor,
    Household,
    Pair,
    Settings,
    Shortlist,
    Suggestion,
    Unit,
    Weights,
    combine_needs,
)
from .reach import Blocker, Reach, Target, blocked_words, reach, recruitment_targets, unblock_words
from .shortlist import IDENTIFICATION_REASON, LOCATION_RULES, broken_rules, exclusion_reasons, explain, shortlist
from .sufficiency import Gap, Profile, profile_of, sufficiency

__all__ = [
    "FACTORS",
    "IDENTIFICATION_REASON",
    "LOCATION_RULES",
    "Assignment",
    "Blocker",
    "Candidate",
    "ExactMatching",
    "Factor",
    "Gap",
    "Household",
    "HouseholdPool",
    "Pair",
    "Profile",
    "Reach",
    "Settings",
    "Shortlist",
    "Suggestion",
    "Target",
    "Unit",
    "UnitArrays",
    "Weights",
    "blocked_words",
    "broken_rules",
    "candidates",
    "combine_needs",
    "exact_matching",
    "exclusion_reasons",
    "explain",
    "greedy",
    "integer_weights",
    "optimal_dense",
    "optimal_exact",
    "optimal_sparse",
    "profile_of",
    "reach",
    "recruitment_targets",
    "shortlist",
    "sufficiency",
    "suggest",
    "unblock_words",
    "value_matrix",
]

"""Risk-based tailoring: a service profile selects the items that apply and says why.

Public API::

    from antai.tailoring import load_profile, make_plan
    plan = make_plan(catalog, load_profile(path))
"""

from antai.tailoring.plan import Plan, PlannedItem, make_plan
from antai.tailoring.profile import Profile, load_profile
from antai.tailoring.risk import RiskLevels, assess_risk

__all__ = ["Plan", "PlannedItem", "Profile", "RiskLevels", "assess_risk", "load_profile", "make_plan"]

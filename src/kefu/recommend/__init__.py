"""Product recommendations: content (e5 embeddings) + co-purchase + popularity, the
customer's profile (remembered only with consent), and follow-ups (cheaper, in red, bigger,
more, compare, why). See docs/recommendations.md.

Importing this package is light; the encoder is loaded by whoever fits a Recommender.
"""

from kefu.recommend.conversation import (
    Feedback,
    need_from_entities,
    need_from_json,
    need_to_json,
    recommendation_from_json,
    recommendation_to_json,
    refine,
)
from kefu.recommend.engine import MODES, Recommender, Weights
from kefu.recommend.profile import (
    Profile,
    StatedPreferences,
    derive_profile,
    forget_profile,
    remember_preferences,
    show_profile,
)
from kefu.recommend.refine import bigger, cheaper, compare, more, smaller, why, with_option
from kefu.recommend.similar import find_purchase, similar_to_purchase
from kefu.recommend.types import (
    Clarification,
    Comparison,
    Difference,
    Need,
    Reason,
    Recommendation,
)

__all__ = [
    "MODES", "Clarification", "Comparison", "Difference", "Feedback", "Need", "Profile",
    "Reason",
    "Recommendation", "Recommender", "StatedPreferences", "Weights", "bigger", "cheaper",
    "compare", "derive_profile", "find_purchase", "forget_profile", "more",
    "need_from_entities", "need_from_json", "need_to_json", "recommendation_from_json",
    "recommendation_to_json",
    "refine", "remember_preferences", "show_profile", "similar_to_purchase", "smaller", "why",
    "with_option",
]

"""The themes of the annual relationship survey, in one place for every part that rates the relationship.

The surveys part asks about these themes each year; a partnership pilot's relationship check rates the same ones,
so the two can be read side by side.
"""

from django.db import models


class RelationshipTheme(models.TextChoices):
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    TRUST = "trust", "Trust"
    INCLUSION = "inclusion", "Inclusion and involvement in planning and key decisions"
    INTEGRATED_WORKING = "integrated_working", "Integrated working"
    MANAGING_CONFLICT = "managing_conflict", "Managing conflict"
    ROLES = "roles", "Understanding of roles and responsibilities"
    STRATEGIC_DIRECTION = "strategic_direction", "Clarity of strategic direction"
    RESPONSIVENESS = "responsiveness", "Responsiveness to each other's needs"


# A rating of a theme, from 1 (poor) to 5 (excellent).
class RelationshipRating(models.IntegerChoices):
    POOR = 1, "Poor"
    FAIR = 2, "Fair"
    GOOD = 3, "Good"
    VERY_GOOD = 4, "Very good"
    EXCELLENT = 5, "Excellent"

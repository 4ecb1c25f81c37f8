"""Facts measured about an expert (ExpertStats), written only here.

Other apps (dispatch, ratings) call `record_expert_activity` when something happens; the directory
reads the row as is, so search and sorting never aggregate over dispatches or ratings.
"""

from django.db import transaction
from django.utils import timezone

from .models import ExpertStats


def ensure_stats(expert_ids):
    """Create missing rows (all zero) for these experts; one query to read, one to write."""
    expert_ids = set(expert_ids)
    have = set(ExpertStats.objects.filter(expert_id__in=expert_ids).values_list("expert_id", flat=True))
    ExpertStats.objects.bulk_create(
        [ExpertStats(expert_id=pk) for pk in sorted(expert_ids - have)], ignore_conflicts=True
    )


@transaction.atomic
def record_expert_activity(expert_id, *, dispatches_completed=0, open_dispatches=0, rating=None, at=None):
    """Apply one change to an expert's measured facts.

    dispatches_completed: +1 when a dispatch is verified as done (negative to undo).
    open_dispatches: +1 when the expert accepts a dispatch, -1 when it ends or is cancelled.
    rating: an SME's score (1–5) for a completed dispatch.
    at: when it happened (defaults to now); moves last_activity_at forward, never back.
    Call it inside the caller's transaction; it locks the row, so concurrent calls add up.
    """
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValueError("rating must be between 1 and 5")
    at = at or timezone.now()
    ensure_stats([expert_id])
    stats = ExpertStats.objects.select_for_update().get(expert_id=expert_id)
    stats.dispatches_completed = max(0, stats.dispatches_completed + dispatches_completed)
    stats.open_dispatches = max(0, stats.open_dispatches + open_dispatches)
    if rating is not None:
        stats.rating_sum += int(rating)
        stats.rating_count += 1
    stats.rating_average = stats.rating_sum / stats.rating_count if stats.rating_count else None
    if stats.last_activity_at is None or at > stats.last_activity_at:
        stats.last_activity_at = at
    stats.save()
    return stats

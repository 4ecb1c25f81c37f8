"""Who may see which payments: the secretariat sees all; an expert sees only their own payments."""

from django.http import Http404

from accounts.roles import Role

from .models import AnomalyFlag, PaymentBatch, Remittance


def is_payer(user):
    return user.is_authenticated and user.has_role(Role.SECRETARIAT, Role.ADMIN)


def batches_for(user):
    return PaymentBatch.objects.all() if is_payer(user) else PaymentBatch.objects.none()


def get_batch_for_user(user, pk):
    try:
        return batches_for(user).select_related("created_by", "exported_by", "paid_by").get(pk=pk)
    except PaymentBatch.DoesNotExist:
        raise Http404 from None


def remittances_for(user):
    if not user.is_authenticated:
        return Remittance.objects.none()
    if is_payer(user):
        return Remittance.objects.all()
    return Remittance.objects.filter(expert__user=user).exclude(batch__state=PaymentBatch.State.CANCELLED)


def get_remittance_for_user(user, pk):
    try:
        return remittances_for(user).select_related("batch", "expert", "expert__user").get(pk=pk)
    except Remittance.DoesNotExist:
        raise Http404 from None


def flags_for(user):
    return AnomalyFlag.objects.all() if is_payer(user) else AnomalyFlag.objects.none()


def get_flag_for_user(user, pk):
    try:
        return flags_for(user).get(pk=pk)
    except AnomalyFlag.DoesNotExist:
        raise Http404 from None

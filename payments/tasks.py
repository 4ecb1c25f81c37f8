from django_tasks import task

from . import actions


@task()
def pay_batch(batch_id):
    """Mark a "paying" batch's cases paid, chunk by chunk (see actions.pay_next_chunk); safe to run again."""
    return actions.pay_all(batch_id)

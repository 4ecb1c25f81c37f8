from django_tasks import task

from . import mail


@task()
def deliver_outbox(outbox_id):
    return mail.deliver(outbox_id)

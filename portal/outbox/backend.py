"""An email backend that records messages in the outbox instead of sending them.

Django's mail API (send_mail, EmailMessage.send, password reset) writes through this backend, so a message is
stored in the same database transaction as the action that caused it. Delivery is queued only once that
transaction commits, and a periodic sweep delivers anything the queue missed (for example while Redis was down).
"""

from django.core.mail.backends.base import BaseEmailBackend

from portal.outbox.services import outbox_message_record


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        count = 0
        for email_message in email_messages:
            if not email_message.recipients():
                continue
            outbox_message_record(email_message=email_message)
            count += 1
        return count

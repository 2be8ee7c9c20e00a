"""What the chapter features listen to. Both are sent inside the closing (or recounting) transaction, once:
a receiver's writes (marking the passed projects, starting a rectification) commit or roll back with it.

    ballot_closed.connect(receiver, sender=Ballot)   # receiver(sender, ballot, result, **kwargs)
    ballot_recounted.connect(receiver, sender=Ballot)
"""

from django.dispatch import Signal

ballot_closed = Signal()
ballot_recounted = Signal()

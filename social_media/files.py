from collections.abc import Iterable

from django.core.files.storage import Storage, default_storage
from django.db import transaction


def delete_files_on_commit(names: Iterable[str], storage: Storage = default_storage) -> None:
    """Delete stored files once the rows that pointed at them are gone for good.

    On rollback the rows come back, so their files must still be there: deleting is
    deferred to the commit and never happens for a transaction that failed.
    """
    names = [name for name in names if name]
    if not names:
        return

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)

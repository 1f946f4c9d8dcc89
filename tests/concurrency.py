"""Running requests or service calls at the same moment, for the race tests on PostgreSQL."""

import threading

from django.db import connection


def run_at_once(calls) -> list:
    """Each callable in its own thread, all released together by a barrier; their results in
    order, with an exception a call raised in its place (a 500 raises in the test client), so
    that the test's assertions report it instead of a thread's traceback hiding it."""
    calls = list(calls)
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            # Each thread opened its own connection; an open one blocks the test's teardown.
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    hung = [index for index, thread in enumerate(threads) if thread.is_alive()]
    assert not hung, f"calls {hung} still running after 60 s (a deadlock?)"
    return results

"""The serverless broker must hand each message, complete, to exactly one consumer."""

import threading

from kombu import Connection, Exchange, Queue

from social_media.broker import Transport


def _connection(folder):
    return Connection(
        "filesystem://",
        transport=Transport,
        transport_options={
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"),
        },
    )


def test_messages_are_delivered_whole_and_once_under_concurrent_consumers(tmp_path):
    for name in ("queue", "control", "processed"):
        (tmp_path / name).mkdir()
    queue = Queue("jobs", Exchange("jobs", type="direct"), routing_key="jobs")
    sent = [{"n": n, "body": "x" * 2000} for n in range(300)]
    received, errors = [], []
    producing = threading.Event()
    producing.set()

    def produce():
        with _connection(tmp_path) as conn, conn.Producer() as producer:
            for message in sent:
                producer.publish(
                    message,
                    exchange=queue.exchange,
                    routing_key="jobs",
                    declare=[queue],
                    serializer="json",
                )
        producing.clear()

    def consume():
        try:
            with _connection(tmp_path) as conn:
                simple = conn.SimpleQueue(queue)
                while producing.is_set() or simple.qsize():
                    try:
                        message = simple.get(block=True, timeout=0.05)
                    except simple.Empty:
                        continue
                    received.append(message.payload)
                    message.ack()
        except Exception as exc:  # a torn read surfaces here as a decode error
            errors.append(exc)

    threads = [threading.Thread(target=produce)] + [
        threading.Thread(target=consume) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(m["n"] for m in received) == list(range(300))
    assert all(m["body"] == "x" * 2000 for m in received)
    assert list((tmp_path / "queue").iterdir()) == []

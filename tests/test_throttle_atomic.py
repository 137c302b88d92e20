"""The sign-in throttle holds under concurrent guesses: tries are reserved atomically before a password is checked."""

from __future__ import annotations

import threading

from publish_support import PASSWORD, csrf_token, make_user

from app import accounts, throttle
from app.db import connect, database_path

ATTACKER = {"REMOTE_ADDR": "10.0.0.9"}
POLICY = throttle.ThrottlePolicy(max_failures=5, lock_seconds=300)


def counting_checks(monkeypatch) -> list[str]:
    """Record every password check the site makes."""
    checks: list[str] = []
    real = accounts.authenticate

    def authenticate(db, username, password):
        checks.append(username)
        return real(db, username, password)
    monkeypatch.setattr(accounts, "authenticate", authenticate)
    return checks


def test_concurrent_guesses_get_at_most_the_allowed_password_checks(app, monkeypatch):
    make_user(app, "somchai", "editor")
    checks = counting_checks(monkeypatch)
    threads, tries = 8, 4
    clients = [app.test_client() for _ in range(threads)]
    tokens = [csrf_token(c.get("/auth/login").get_data(as_text=True)) for c in clients]
    start = threading.Barrier(threads)
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(client, token):
        start.wait()
        for n in range(tries):
            response = client.post("/auth/login", environ_base=ATTACKER,
                                   data={"username": "somchai", "password": f"guess-{n}", "csrf_token": token})
            with lock:
                statuses.append(response.status_code)

    workers = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(statuses) == threads * tries
    # tries 1-5 are checked (the fifth wrong one starts the pause), every other one waits
    assert len(checks) == POLICY.max_failures
    assert (statuses.count(401), statuses.count(429)) == (POLICY.max_failures - 1, threads * tries - 4)
    with app.test_client() as late:  # the pause holds afterwards, right password or not
        token = csrf_token(late.get("/auth/login").get_data(as_text=True))
        response = late.post("/auth/login", environ_base=ATTACKER,
                             data={"username": "somchai", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 429


def test_a_late_failure_never_lifts_a_pause(app):
    conn = connect(database_path(app))
    try:
        tries = [throttle.reserve(conn, "somchai|10.0.0.9", POLICY, now=1000.0) for _ in range(5)]
        assert [t.number for t in tries] == [1, 2, 3, 4, 5] and not any(t.wait for t in tries)
        assert throttle.record_failure(conn, tries[4], "somchai|10.0.0.9", POLICY, now=1001.0) == 300
        # the second try's wrong password is reported after the fifth's: the pause stays
        assert throttle.record_failure(conn, tries[1], "somchai|10.0.0.9", POLICY, now=1002.0) == 0
        assert throttle.reserve(conn, "somchai|10.0.0.9", POLICY, now=1003.0).wait == 298
        assert throttle.reserve(conn, "somchai|10.0.0.9", POLICY, now=1302.0) == throttle.Attempt(1, 0)
    finally:
        conn.close()


def test_tries_beyond_the_limit_are_refused_before_any_check(app):
    conn = connect(database_path(app))
    try:
        tries = [throttle.reserve(conn, "malee|10.0.0.7", POLICY, now=50.0) for _ in range(7)]
        assert [t.wait for t in tries] == [0, 0, 0, 0, 0, 300, 300]
    finally:
        conn.close()


def test_a_huge_user_name_is_cut_before_it_is_counted(app):
    from publish_support import login

    response = login(app.test_client(), "ก" * 100_000, "guess", environ_base=ATTACKER)
    assert response.status_code == 401
    conn = connect(database_path(app))
    try:
        keys = [key for (key,) in conn.execute("SELECT key FROM login_failures")]
        # no account has that name: it is counted by a hash of its first 64 characters
        assert keys == [throttle.throttle_key(throttle.unknown_name("ก" * 64, app.secret_key), "10.0.0.9")]
    finally:
        conn.close()

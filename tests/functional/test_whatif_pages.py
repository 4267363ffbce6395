"""The what-if pages: the form and its messages, a period without requests, a replay answered
in the request, one in a thread (with its progress page and a double click), one on RQ."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.spread import whatif_jobs
from tests import factories
from tests.integration.test_whatif import _world
from tests.redis_server import redis_url_or_skip

THIS_MONTH = str(Period.of(today_in_jakarta()))


@pytest.fixture
def admin(app: Flask, client: FlaskClient, auth: Any) -> Iterator[Any]:
    user = factories.user("admin")
    db.session.commit()
    auth.login(user.email)
    whatif_jobs.forget()
    yield user
    whatif_jobs.wait_for_threads()
    whatif_jobs.forget()


def _form(**changes: str) -> dict[str, str]:
    data = {
        "periode": THIS_MONTH,
        "skenario_1": "v2",
        "k_1": "3",
        "bagi_1": "capacity",
        "batas_1": "",
        "skenario_2": "v1",
        "k_2": "2",
        "bagi_2": "level",
        "batas_2": "",
        "skenario_3": "always-cheapest",
        "k_3": "3",
        "bagi_3": "capacity",
        "batas_3": "",
    }
    data.update(changes)
    return data


def _job_id(response: Any) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    found = re.search(r"/pemerataan/simulasi/(whatif-[0-9a-f-]+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


@pytest.mark.parametrize("role", ["opd", "umkm", "inspector"])
def test_only_the_admin_may_replay(app: Flask, client: FlaskClient, auth: Any, role: str) -> None:
    user = factories.user(role)
    db.session.commit()
    auth.login(user.email)
    assert client.get("/pemerataan/simulasi/").status_code == 403
    assert client.post("/pemerataan/simulasi/", data=_form()).status_code == 403


def test_the_form_offers_the_current_settings(client: FlaskClient, admin: Any) -> None:
    page = client.get("/pemerataan/simulasi/").get_data(as_text=True)
    assert "Simulasi: bagaimana jika pengaturannya lain?" in page
    assert "tidak mengubah apa pun" in page
    last_month = str(Period.of(today_in_jakarta()).shift(-1))
    assert f'<option selected value="{last_month}">' in page
    assert 'value="always-cheapest"' in page and 'value="random"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"k_1": "11"}, "K (jumlah UMKM per permintaan) harus di antara 1 dan 10."),
        ({"k_2": "dua"}, "K (jumlah UMKM per permintaan) harus bilangan bulat."),
        ({"batas_1": "tiga juta"}, "Batas tahunan harus bilangan bulat."),
        ({"batas_1": "0"}, "Batas tahunan harus di antara 1 dan"),
        ({"skenario_2": "v9"}, "Pilih skenario dari daftar."),
        ({"bagi_1": "rata"}, "Cara pembagian harus menurut kapasitas atau merata."),
        ({"skenario_2": "v2", "k_2": "3", "bagi_2": "capacity"}, "sama dengan skenario sebelumnya"),
        (
            {"skenario_1": "", "skenario_2": "", "skenario_3": ""},
            "Pilih paling sedikit satu skenario.",
        ),
        ({"periode": "2099-01"}, "belum dimulai"),
        ({"periode": "kemarin"}, "Periode ditulis 2026-10"),
    ],
)
def test_choices_are_checked(
    client: FlaskClient, admin: Any, changes: dict[str, str], message: str
) -> None:
    response = client.post("/pemerataan/simulasi/", data=_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert not whatif_jobs._jobs


def test_a_period_without_requests_says_so_and_starts_nothing(
    client: FlaskClient, admin: Any
) -> None:
    response = client.post("/pemerataan/simulasi/", data=_form(periode="2026-01"))
    assert response.status_code == 200
    assert "Tidak ada permintaan yang sudah diputuskan menjadi pesanan pada Januari 2026" in (
        response.get_data(as_text=True)
    )
    assert not whatif_jobs._jobs


def test_a_short_replay_is_answered_at_once(client: FlaskClient, admin: Any) -> None:
    _world()
    job_id = _job_id(client.post("/pemerataan/simulasi/", data=_form()))
    page = client.get(f"/pemerataan/simulasi/{job_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "Yang terjadi" in page and 'id="perbandingan"' in page
    assert "Pemerataan v1, K = 2, dibagi merata (level), tanpa batas tahunan" in page
    assert "Selalu termurah (pembanding), K = 3" in page
    assert "Gini belanja" in page and "Selisih harga per unit" in page
    # v2 with the Pemda's settings replays what happened.
    assert "Dibanding yang terjadi: jumlah UMKM yang mendapat pesanan sama" in page


def test_a_long_replay_runs_in_a_thread_once(
    client: FlaskClient, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _world()
    release = threading.Event()
    real = whatif_jobs.run_whatif

    def slow(*args: Any) -> Any:
        args[4](6, 24)  # progress: a quarter done
        assert release.wait(30)
        return real(*args)

    monkeypatch.setattr(whatif_jobs, "runs_in_request", lambda *_: False)
    monkeypatch.setattr(whatif_jobs, "run_whatif", slow)
    first = _job_id(client.post("/pemerataan/simulasi/", data=_form()))
    again = client.post("/pemerataan/simulasi/", data=_form())  # a double click
    assert _job_id(again) == first
    waiting = client.get(f"/pemerataan/simulasi/{first}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "Muat ulang" in waiting
    release.set()
    whatif_jobs.wait_for_threads()
    done = client.get(f"/pemerataan/simulasi/{first}").get_data(as_text=True)
    assert "Yang terjadi" in done and 'http-equiv="refresh"' not in done
    assert len(whatif_jobs._jobs) == 1


def test_a_failed_replay_says_so(
    client: FlaskClient, admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _world(requests=1)

    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(whatif_jobs, "run_whatif", broken)
    job_id = _job_id(client.post("/pemerataan/simulasi/", data=_form()))
    page = client.get(f"/pemerataan/simulasi/{job_id}").get_data(as_text=True)
    assert "Simulasi gagal." in page and "tidak ada yang berubah" in page


@pytest.mark.parametrize("job_id", ["whatif-0123456789abcdef01234567-9", "x", "whatif-../etc"])
def test_an_unknown_job_is_not_found(client: FlaskClient, admin: Any, job_id: str) -> None:
    assert client.get(f"/pemerataan/simulasi/{job_id}").status_code == 404


def test_with_redis_a_worker_runs_the_replay(app: Flask, client: FlaskClient, admin: Any) -> None:
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = redis_url_or_skip()
    app.config.update(REDIS_URL=url, WHATIF_QUEUE="procure-test-whatif")
    queue = Queue("procure-test-whatif", connection=Redis.from_url(url))
    queue.empty()
    _world()
    job_id = _job_id(client.post("/pemerataan/simulasi/", data=_form()))
    assert _job_id(client.post("/pemerataan/simulasi/", data=_form())) == job_id
    assert queue.count == 1 and not whatif_jobs._jobs  # queued, not run in this process
    waiting = client.get(f"/pemerataan/simulasi/{job_id}").get_data(as_text=True)
    assert "Menunggu giliran" in waiting and 'http-equiv="refresh"' in waiting
    SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=False)
    done = client.get(f"/pemerataan/simulasi/{job_id}").get_data(as_text=True)
    assert "Yang terjadi" in done and "jumlah UMKM yang mendapat pesanan sama" in done
    from rq.job import Job

    # 6 requests × 3 replays (always-cheapest with the current settings is the reference too)
    assert Job.fetch(job_id, connection=queue.connection).meta["done"] == 18

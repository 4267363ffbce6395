"""Browser: on the registration form the kelurahan list follows the chosen kecamatan."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from procure.extensions import db
from tests import factories
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def kelurahan_names(page: Page) -> list[str]:
    return page.locator("#kelurahan_id option").evaluate_all(
        "options => options.filter(o => o.value).map(o => o.textContent.trim())"
    )


def test_choosing_a_kecamatan_leaves_only_its_kelurahan(
    page: Page, live_server: str, backend: str
) -> None:
    factories.kelurahan("Sukamaju Barat", "Pandean")
    factories.kelurahan("Sukamaju Barat", "Kauman")
    factories.kelurahan("Sukamaju Timur", "Karanganyar")
    factories.kelurahan("Sukamaju Timur", "Sidomulyo")
    factories.category("batik")
    db.session.commit()

    page.goto(f"{live_server}/umkm/daftar")
    assert sorted(kelurahan_names(page)) == ["Karanganyar", "Kauman", "Pandean", "Sidomulyo"]

    page.get_by_label("Kecamatan").select_option(label="Sukamaju Barat")
    assert sorted(kelurahan_names(page)) == ["Kauman", "Pandean"]
    page.get_by_label("Kelurahan").select_option(label="Pandean")
    if backend == "sqlite":
        screenshot(page, "registration-kelurahan-follows-kecamatan")

    # Another kecamatan: its own kelurahan only, and the old choice is cleared.
    page.get_by_label("Kecamatan").select_option(label="Sukamaju Timur")
    assert sorted(kelurahan_names(page)) == ["Karanganyar", "Sidomulyo"]
    expect(page.get_by_label("Kelurahan")).to_have_value("")

    # No kecamatan: every kelurahan again; choosing one picks its kecamatan.
    page.get_by_label("Kecamatan").select_option(value="")
    assert len(kelurahan_names(page)) == 4
    page.get_by_label("Kelurahan").select_option(label="Kauman")
    expect(page.get_by_label("Kecamatan")).to_have_value(
        page.get_by_label("Kecamatan")
        .locator("option", has_text="Sukamaju Barat")
        .get_attribute("value")
        or ""
    )
    assert sorted(kelurahan_names(page)) == ["Kauman", "Pandean"]

"""Stored document content (JSON) reads back into exactly the content that was rendered."""

from __future__ import annotations

import json

import pytest

from procure.documents.content import content_fingerprint, content_to_dict
from procure.documents.stored import content_from_dict
from tests import document_samples


@pytest.mark.parametrize("kind", ["sp", "bap", "bast", "kwt", "la"])
def test_content_survives_a_json_round_trip(kind):
    content = getattr(document_samples, f"sample_{kind}")()
    stored = json.loads(json.dumps(content_to_dict(content)))
    again = content_from_dict(stored)
    assert again == content
    assert content_fingerprint(again) == content.fingerprint

"""Property tests of the HTTP API against its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid; the checks are schemathesis's
defaults: no server errors (5xx), status codes, content types and bodies as documented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from newsprism.web import create_app
from newsprism.web.security import Access

pytestmark = pytest.mark.model


def test_api_conforms_to_its_schema(web_db: Path) -> None:
    # schemathesis's ASGI client names the host "testserver": allowed as a deployment would
    app = create_app(web_db, access=Access(allowed_hosts=("testserver",)))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    # Ingest is exercised in test_api.py: generated bodies would each run the whole NLP stage.
    schema = schema.exclude(path="/api/ingest")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate()

        check()

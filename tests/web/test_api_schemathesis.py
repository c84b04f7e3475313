"""schemathesis calls the running app (pytest-django's live server) with parameters generated
from the OpenAPI document the app serves, valid and invalid, and checks every answer: no
server error, only documented status codes and content types, bodies valid against the
schemas. The number of examples per operation is bounded so the run stays well under a minute.

(The operations are driven from one test with hypothesis directly: schemathesis' pytest
plugin, ``from_fixture``, does not work with pytest 9.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from jixiao.generate import generate_table
from jixiao.web.entry import convert
from jixiao.web.entry.models import Status

from .conftest import World, bring_to

EXAMPLES = 15  # per operation and generation mode (13 operations): ~20 s on a quiet 2-core machine


@pytest.fixture
def published(transactional_db):
    world = World("published")
    for year, department in ((2019, "丙部门"), (2020, "丁部门")):
        t = convert.save_table(generate_table(projects=6, seed=year, year=year, department=department),
                               status=Status.DRAFT)
        bring_to(t, "published", world.users["admin"], world.users["reviewer"])
    # An approved 绩效目标表, so /api/targets/ answers records to validate.
    from decimal import Decimal

    from jixiao.core.target_sheet import TargetIndicator, TargetProject, TargetSheet
    from jixiao.web.targets import convert as target_convert
    from jixiao.web.targets import workflow as target_workflow

    core = TargetSheet(2021, world.dept_a.name, projects=[TargetProject(
        "道路养护", world.dept_a.name, "甲单位", Decimal("100"), Decimal("80"), Decimal("20"), "完成养护",
        [TargetIndicator("quantity", "养护里程", ">=", "120", "公里", Decimal("20"), "plan"),
         TargetIndicator("cost", "养护成本", "<=", "100", "万元", Decimal("20"), "plan"),
         TargetIndicator("satisfaction", "满意度", ">=", "90", "%", Decimal("10"), "plan")])])
    sheet = target_convert.save_sheet(core, department=world.dept_a)
    target_workflow.submit(sheet, world.users["admin"])
    target_workflow.approve(sheet, world.users["reviewer"])
    return world


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_api_conforms_to_its_openapi_document(live_server, published, mode):
    schema = schemathesis.openapi.from_url(live_server.url + "/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    calls = []
    for operation in operations:
        if mode is schemathesis.GenerationMode.NEGATIVE and not operation.query and not operation.path_parameters:
            continue  # nothing to make invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.filter_too_much])
        def run(case):
            response = case.call_and_validate(base_url=live_server.url)
            calls.append((operation.label, response.status_code))  # noqa: B023 - run() is called at once, in this iteration

        run()
    statuses = {status for _, status in calls}
    # The run really reached the views: real objects, missing ones, and (negative mode) refusals.
    assert 200 in statuses or mode is schemathesis.GenerationMode.NEGATIVE
    if mode is schemathesis.GenerationMode.NEGATIVE:
        assert 400 in statuses

"""The VLM judge against a local stand-in server speaking the chat-completions protocol."""

from __future__ import annotations

import json

import numpy as np
import pytest
from chat_standin import ChatStandIn

from scene_gym.rewards import GRADES, JudgeReward, RewardContext, RewardError, make_judge
from scene_gym.rewards.vlm_judge import (
    RUBRIC_VERSION,
    AnswerError,
    ChatClient,
    JudgeCache,
    VLMJudge,
    layout_json,
    parse_grades,
)
from scene_gym.samples import bedroom_scene

GOOD = '{"realism": 8, "functionality": 7, "layout": 6.5, "completeness": 9, "reason": "tidy"}'


@pytest.fixture
def server():
    s = ChatStandIn(default=("text", GOOD))
    yield s
    s.close()


@pytest.fixture
def sleeps():
    return []


def make(server, sleeps, tmp_path, **kw):
    client = ChatClient(server.url, timeout=kw.pop("timeout", 5.0), max_retries=kw.pop("max_retries", 3),
                        backoff=0.5, sleep=sleeps.append)  # fmt: skip
    return VLMJudge("test-vlm", client=client, cache=kw.pop("cache", tmp_path / "cache.sqlite"), **kw)


def context():
    return RewardContext(renders={"topdown_ids": np.full((32, 32, 3), 200, dtype=np.uint8)})


def test_grades_from_the_endpoint(server, sleeps, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    judge = make(server, sleeps, tmp_path)
    res = judge.judge(bedroom_scene(), context())
    assert res.grades.to_dict() == {"realism": 8.0, "functionality": 7.0, "layout": 6.5, "completeness": 9.0}
    assert res.q_vis == pytest.approx(7.625) and res.q == pytest.approx(1.4 + 7.625)
    assert res.judge == "openai:test-vlm" and res.details["reason"] == "tidy"
    req = server.requests[0]
    assert req["model"] == "test-vlm"
    assert server.headers[0]["Authorization"] == "Bearer sk-test"
    user = req["messages"][1]["content"]
    assert user[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert "bed_1" in user[0]["text"] and bedroom_scene().prompt in user[0]["text"]
    assert "realism" in req["messages"][0]["content"]


def test_cache_hit_makes_no_second_request(server, sleeps, tmp_path):
    judge = make(server, sleeps, tmp_path)
    a = judge.judge(bedroom_scene(), context())
    b = judge.judge(bedroom_scene(), context())
    assert len(server.requests) == 1 and b.details["cached"] and not a.details["cached"]
    assert a.grades == b.grades
    again = make(server, sleeps, tmp_path)  # a new judge on the same cache file
    assert again.judge(bedroom_scene(), context()).details["cached"] and len(server.requests) == 1
    other = make(server, sleeps, tmp_path)
    other.model = "another-model"
    other.judge(bedroom_scene(), context())
    assert len(server.requests) == 2  # the model is part of the key
    assert len(JudgeCache(tmp_path / "cache.sqlite")) == 2


def test_500s_then_success_with_backoff(server, sleeps, tmp_path):
    server.script = [("status", 500), ("status", 503), ("text", GOOD)]
    judge = make(server, sleeps, tmp_path, cache=None)
    assert judge.judge(bedroom_scene(), context()).grades.realism == 8.0
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]


def test_persistent_500s_fail_clearly(server, sleeps, tmp_path):
    server.script = [("status", 500)] * 10
    judge = make(server, sleeps, tmp_path, cache=None, max_retries=2)
    with pytest.raises(RewardError, match="failed after 3 attempts: HTTP 500"):
        judge.judge(bedroom_scene(), context())


def test_client_errors_are_not_retried(server, sleeps, tmp_path):
    server.script = [("status", 401)]
    with pytest.raises(RewardError, match="refused the request: HTTP 401"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())
    assert len(server.requests) == 1


def test_timeout_then_success(server, sleeps, tmp_path):
    server.script = [("sleep", 1.0), ("text", GOOD)]
    judge = make(server, sleeps, tmp_path, cache=None, timeout=0.2)
    assert judge.judge(bedroom_scene(), context()).grades.layout == 6.5
    assert len(sleeps) == 1


def test_malformed_json_is_repaired(server, sleeps, tmp_path):
    server.script = [("text", 'Sure! Here is my grading:\n```json\n{"realism": "7/10", "functionality": 10, '
                              '"layout": 0, "completeness": "5",}\n```\nHope it helps.')]  # fmt: skip
    grades = make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context()).grades
    assert grades.to_dict() == {"realism": 7.0, "functionality": 10.0, "layout": 0.0, "completeness": 5.0}


def test_out_of_range_grades_are_rejected_recorded_and_asked_again(server, sleeps, tmp_path):
    bad = '{"realism": 7, "functionality": 12, "layout": -1, "completeness": 5, "reason": "x"}'
    server.script = [("text", bad), ("text", GOOD)]
    res = make(server, sleeps, tmp_path).judge(bedroom_scene(), context())
    assert res.grades.realism == 8.0 and len(server.requests) == 2  # the second answer, never a clamped first
    (rejected,) = res.details["rejected"]
    assert "expected 'functionality' in [0, 10], got 12 (rejected, not clamped)" in rejected and '"realism": 7' in rejected
    server.script = [("text", bad), ("text", bad.replace("-1", "10.5").replace("12", "3"))]
    judge = make(server, sleeps, tmp_path, cache=tmp_path / "other.sqlite")
    with pytest.raises(AnswerError) as err:
        judge.judge(bedroom_scene(), context())
    assert err.value.kind == "out_of_range" and "got 10.5" in str(err.value) and "all 2 answers were rejected" in str(
        err.value) and err.value.raw.startswith('{"realism": 7')  # fmt: skip
    assert len(judge.cache) == 0  # nothing rejected is cached


def test_unparseable_answers_are_asked_again_then_fail(server, sleeps, tmp_path):
    server.script = [("text", "The room is nice."), ("text", GOOD)]
    assert make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context()).grades.realism == 8.0
    server.script = [("text", "{realism: 8"), ("text", "still no json")]
    with pytest.raises(RewardError, match="expected a JSON object with the four grades"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())
    server.script = [("raw", b"<html>not json</html>")] * 5
    with pytest.raises(RewardError, match="response is not JSON"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())


def test_refusals_raise_clear_errors(server, sleeps, tmp_path):
    server.script = [("text", "I'm sorry, but I can't help with grading this image.")]
    with pytest.raises(RewardError, match="refused to grade the scene: \"I'm sorry"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())
    server.script = [("refusal", "I cannot assist with that.")]
    with pytest.raises(RewardError, match="refused to grade the scene: 'I cannot assist"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())


def test_missing_grade_names_it():
    with pytest.raises(RewardError, match="missing grade 'layout'"):
        parse_grades('{"realism": 1, "functionality": 2, "completeness": 3}')
    with pytest.raises(RewardError, match="expected a number for 'realism'"):
        parse_grades('{"realism": "great", "functionality": 2, "layout": 1, "completeness": 3}')
    grades, reason = parse_grades('{"grades": {"Realism": 1, "functionality": 2, "layout": 3, "completeness": 4}}')
    assert grades.to_dict() == {"realism": 1.0, "functionality": 2.0, "layout": 3.0, "completeness": 4.0}


def test_judge_reward_and_spec(server, sleeps, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("SCENE_GYM_CACHE_DIR", str(tmp_path))
    judge = make_judge("openai:my-model")
    assert isinstance(judge, VLMJudge) and judge.client.base_url == server.url and judge.model == "my-model"
    res = JudgeReward(judge)(bedroom_scene(), context())
    assert res.value == pytest.approx(0.7625) and res.terms["layout"] == 6.5
    assert (tmp_path / "judge_cache.sqlite").exists()
    judge.close()


def test_openai_without_key_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    judge = VLMJudge("gpt-4o-mini", client=ChatClient("https://api.openai.com/v1"), cache=None)
    with pytest.raises(RewardError, match="set the environment variable OPENAI_API_KEY"):
        judge.judge(bedroom_scene(), context())


def test_layout_json_and_rubric_version():
    data = json.loads(layout_json(bedroom_scene()))
    assert data["room"]["type"] == "bedroom" and len(data["objects"]) == 15
    assert {"id", "category", "position_m", "size_m", "yaw_deg", "parent", "material"} == set(data["objects"][0])
    assert RUBRIC_VERSION.endswith("@1")


def test_structured_output_is_requested_with_the_grades_schema(server, sleeps, tmp_path):
    judge = make(server, sleeps, tmp_path, cache=None)
    res = judge.judge(bedroom_scene(), context())
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert schema["required"] == ["realism", "functionality", "layout", "completeness", "reason"]
    assert schema["additionalProperties"] is False
    assert all(schema["properties"][g] == {"type": "number", "minimum": 0, "maximum": 10} for g in GRADES)
    assert res.details["structured_output"] is True and len(server.requests) == 1


def test_a_server_without_structured_output_is_asked_again_without_it_and_remembered(sleeps, tmp_path):
    server = ChatStandIn(default=("text", GOOD), schema_support=False)
    try:
        judge = make(server, sleeps, tmp_path, cache=None)
        first = judge.judge(bedroom_scene(), context())
        assert first.grades.realism == 8.0 and first.details["structured_output"] is False
        assert ["response_format" in r for r in server.requests] == [True, False] and sleeps == []
        assert judge.client.no_response_format == {"test-vlm"}
        judge.judge(bedroom_scene(), context())  # remembered: one request, without the schema
        assert ["response_format" in r for r in server.requests] == [True, False, False]
        other = VLMJudge("other-model", client=judge.client, cache=None)  # per model: this one is tried once
        other.judge(bedroom_scene(), context())
        assert ["response_format" in r for r in server.requests[3:]] == [True, False]
    finally:
        server.close()


def test_other_400s_are_not_mistaken_for_a_missing_feature(server, sleeps, tmp_path):
    server.script = [("status", 400, {"error": {"message": "context length exceeded", "param": "messages"}})]
    judge = make(server, sleeps, tmp_path, cache=None)
    with pytest.raises(RewardError, match="refused the request: HTTP 400: .*context length"):
        judge.judge(bedroom_scene(), context())
    assert len(server.requests) == 1 and judge.client.no_response_format == set()
    plain = make(server, sleeps, tmp_path, cache=None, structured_output=False)
    plain.judge(bedroom_scene(), context())
    assert "response_format" not in server.requests[-1]


def test_a_schema_enforcing_server_still_gets_its_answer_checked(server, sleeps, tmp_path):
    server.script = [("text", '{"realism": 11, "functionality": 7, "layout": 6, "completeness": 9, "reason": ""}')] * 2
    with pytest.raises(AnswerError, match="expected 'realism' in \\[0, 10\\], got 11"):
        make(server, sleeps, tmp_path, cache=None).judge(bedroom_scene(), context())

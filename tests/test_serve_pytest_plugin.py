"""The pytest plugin: the README's examples run as a user's test suite (pytester)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest_plugins = ["pytester"]

SDK_EXAMPLE = """
import anthropic
import pytest


def test_my_app_gets_an_answer(transcript_server):
    client = anthropic.Anthropic(base_url=transcript_server.base_url, api_key="test")
    transcript_server.queue(text="Paris is the capital of France.")
    reply = client.messages.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=[{"role": "user", "content": "Capital of France?"}]
    )
    assert reply.content[0].text == "Paris is the capital of France."
    transcript_server.assert_no_refused()


def test_my_app_retries_when_overloaded(transcript_server):
    client = anthropic.Anthropic(base_url=transcript_server.base_url, api_key="test", max_retries=2)
    transcript_server.queue(fault="overloaded;times=1", text="Back again.")
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[{"role": "user", "content": "Hi"}])
    assert reply.content[0].text == "Back again."
    assert [e.status for e in transcript_server.exchanges] == [529, 200]


def test_a_refused_request_is_caught(transcript_server):
    client = anthropic.Anthropic(base_url=transcript_server.base_url, api_key="test")
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=[
            {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Sure "}])
    with pytest.raises(AssertionError, match="final assistant content cannot end with trailing whitespace"):
        transcript_server.assert_no_refused()
"""

ENV_EXAMPLE = """
import anthropic


def my_app() -> str:
    client = anthropic.Anthropic()  # reads ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=50, messages=[{"role": "user", "content": "Hello"}]) as s:
        return s.get_final_message().content[0].text


def test_my_app_offline(transcript_env):
    assert my_app() == "Hello"
    assert transcript_env.exchanges[0].stream
"""


def test_the_sdk_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_sdk=SDK_EXAMPLE)
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_the_base_url_example_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_env=ENV_EXAMPLE)
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_settings_give_recordings_and_lint_config(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", transcript='ignore = ["R001"]\n')
    pytester.makeini("[pytest]\ntranscript_config = transcript.toml\ntranscript_script = answers.jsonl\n")
    pytester.makefile(".jsonl", answers='{"text": "from the script"}\n')
    pytester.makepyfile(
        test_cfg="""
import anthropic

def test_config(transcript_server):
    client = anthropic.Anthropic(base_url=transcript_server.base_url, api_key="k")
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=5, messages=[])
    assert reply.content[0].text == "from the script"
"""
    )
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_plugin_loads_without_the_serve_extra() -> None:
    """pytest runs in every project with transcript installed: the plugin must import without uvicorn and starlette."""
    code = (
        "import sys\n"
        "for name in ('uvicorn', 'starlette', 'httpx'):\n"
        "    sys.modules[name] = None\n"
        "import transcript.serve.pytest_plugin as plugin\n"
        "assert 'transcript.serve.server' not in sys.modules\n"
        "print(plugin.transcript_server.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "transcript_server"


def test_each_test_gets_the_server_as_new(pytester: pytest.Pytester) -> None:
    pytester.makefile(".jsonl", answers='{"text": "first"}\n{"text": "second"}\n')
    pytester.makeini("[pytest]\ntranscript_script = answers.jsonl\n")
    pytester.makepyfile(
        test_reset="""
import anthropic
import pytest

@pytest.mark.parametrize("n", range(3))
def test_fresh(transcript_server, n):
    assert transcript_server.exchanges == []
    client = anthropic.Anthropic(base_url=transcript_server.base_url, api_key="k", max_retries=0)
    ask = lambda: client.messages.create(model="claude-sonnet-4-5", max_tokens=9, messages=[{"role": "user", "content": "x"}])
    if n == 0:
        transcript_server.queue(text="queued")
        transcript_server.fault("overloaded")
        with pytest.raises(anthropic.InternalServerError):
            ask()
    else:
        assert [ask().content[0].text for _ in range(3)] == ["first", "second", "x"]
"""
    )
    pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=3)

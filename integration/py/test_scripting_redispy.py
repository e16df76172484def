"""Lua scripting through redis-py 4.3: eval, evalsha, script_load/exists/flush
and register_script (EVALSHA, then EVAL on NOSCRIPT), in a pipeline too.
Expected values are redis-server 7.0's replies (run this file against it with
MRS_PORT set to its port)."""
import hashlib

import pytest
import redis


def test_eval_and_script_cache(r):
    assert r.eval("return {KEYS[1], ARGV[1], 2.9, false, {ok='x'}}", 1, "lua:k", "a") == ["lua:k", "a", 2, None, "x"]
    body = "return redis.call('incrby', KEYS[1], ARGV[1])"
    sha = r.script_load(body)
    assert sha == hashlib.sha1(body.encode()).hexdigest()
    assert r.script_exists(sha, "0" * 40) == [True, False]
    assert r.evalsha(sha, 1, "lua:n", 4) == 4
    assert r.script_flush() is True
    with pytest.raises(redis.exceptions.NoScriptError):
        r.evalsha(sha, 1, "lua:n", 1)
    with pytest.raises(redis.ResponseError, match="^Number of keys can't be negative$"):
        r.eval("return 1", -1)
    with pytest.raises(redis.ResponseError, match="^user_script:1: boom script: "):
        r.eval("error('boom')", 0)


def test_register_script(r):
    incr = r.register_script("return redis.call('incrby', KEYS[1], ARGV[1])")
    r.script_flush()
    assert incr(keys=["lua:n"], args=[3]) == 3  # NOSCRIPT, then EVAL
    assert incr(keys=["lua:n"], args=[2]) == 5  # EVALSHA
    pipe = r.pipeline()
    incr(keys=["lua:n"], args=[1], client=pipe)
    incr(keys=["lua:n"], args=[1], client=pipe)
    assert pipe.execute() == [6, 7]
    r.script_flush()
    pipe = r.pipeline(transaction=True)
    incr(keys=["lua:n"], args=[10], client=pipe)  # the pipeline loads it first
    assert pipe.execute() == [17]
    r.delete("lua:n")

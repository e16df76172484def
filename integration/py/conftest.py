"""The redis-py tests' shared fixture. The Go tests start the server and set
MRS_PORT; run them through `make test`."""
import os

import pytest
import redis

PORT = int(os.environ["MRS_PORT"])


@pytest.fixture
def r():
    """A client (replies decoded) on an empty server: no key, no index."""
    client = redis.Redis(host="127.0.0.1", port=PORT, decode_responses=True)
    try:
        indexes = client.execute_command("FT._LIST")
    except redis.ResponseError:  # a server without the search module
        indexes = []
    for name in indexes:
        client.execute_command("FT.DROPINDEX", name)
    client.flushall()
    yield client
    client.close()

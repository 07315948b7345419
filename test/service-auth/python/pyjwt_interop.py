"""Test helper: PyJWT (Debian python3-jwt 2.6) on the other side of the wire.

Reads one JSON command on stdin, writes one JSON answer on stdout.
  {"op": "mint", "jwk": <private>, "claims": {...}, "header": {...}}  -> {"token": ...}
  {"op": "verify", "jwk": <public>, "token": ..., "audience": ..., "issuer": ...} -> {"claims": ...}
  {"op": "thumbprint", "jwk": <public>} -> {"thumbprint": ...}
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python"))
import jwt  # noqa: E402
from call_service import load_key, thumbprint  # noqa: E402


def main():
    command = json.load(sys.stdin)
    op = command["op"]
    if op == "thumbprint":
        return {"thumbprint": thumbprint(command["jwk"])}
    key, alg = load_key(command["jwk"])
    if op == "mint":
        headers = command.get("header", {})
        return {"token": jwt.encode(command["claims"], key, algorithm=alg, headers=headers)}
    try:
        claims = jwt.decode(
            command["token"], key, algorithms=[alg], audience=command["audience"],
            issuer=command["issuer"], options={"require": ["exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as error:
        return {"error": type(error).__name__}
    return {"claims": claims, "header": jwt.get_unverified_header(command["token"])}


json.dump(main(), sys.stdout)

#!/usr/bin/python3
"""A Galaxy or Pulsar process calling a component guarded by @galaxy-harden/service-auth.

Replaces the long-lived shared token sent as a URL parameter: every call carries a token
that lives 30 s, names the one callee, is refused a second time, and is bound to the method,
the path with its query and a SHA-256 digest of the body. The answer is signed by the callee;
this script refuses it unless it verifies against the callee's public JWKS.

Needs Debian's python3-jwt (PyJWT 2.6) and python3-cryptography:

    /usr/bin/python3 call_service.py --name galaxy --key galaxy.private.jwk.json \\
        --peer job-runner --peer-jwks job-runner.jwks.json \\
        --url http://127.0.0.1:8081/jobs --body '{"tool":"grep","pattern":"chr1"}'
"""

import argparse
import base64
import hashlib
import json
import secrets
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import jwt
from jwt.algorithms import ECAlgorithm, OKPAlgorithm

REQUEST_TYP = "galaxy-service-request+jwt"
RESPONSE_TYP = "galaxy-service-response+jwt"
RESPONSE_HEADER = "service-auth-response"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def body_digest(body):
    return b64url(hashlib.sha256(body).digest())


def thumbprint(jwk):
    """RFC 7638: the kid of every key, the same as the Node side computes."""
    names = ("crv", "kty", "x", "y") if jwk["kty"] == "EC" else ("crv", "kty", "x")
    canonical = json.dumps({n: jwk[n] for n in names}, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode()).digest())


def load_key(jwk):
    """Returns (key, alg) for an ES256 or Ed25519 JWK, private or public."""
    if jwk["kty"] == "EC":
        return ECAlgorithm.from_jwk(json.dumps(jwk)), "ES256"
    # PyJWT 2.6 knows Ed25519 signatures only under the name EdDSA.
    return OKPAlgorithm.from_jwk(json.dumps(jwk)), "EdDSA"


def sign_request(name, private_jwk, audience, method, path, body):
    key, alg = load_key(private_jwk)
    now = int(time.time())
    claims = {
        "iss": name, "sub": name, "aud": audience, "iat": now, "exp": now + 30,
        "jti": secrets.token_urlsafe(16), "htm": method, "htp": path, "hbd": body_digest(body),
    }
    headers = {"kid": thumbprint(private_jwk), "typ": REQUEST_TYP}
    return jwt.encode(claims, key, algorithm=alg, headers=headers), claims["jti"]


def verify_answer(token, name, peer, peer_jwks, jti, status, body):
    """Raises unless the answer is the peer's, for this request, status and body."""
    if not token:
        raise ValueError("answer not signed")
    header = jwt.get_unverified_header(token)
    if header.get("typ") != RESPONSE_TYP or set(header) - {"alg", "kid", "typ"}:
        raise ValueError("unexpected answer header")
    keys = {thumbprint(k): k for k in peer_jwks["keys"]}
    if header.get("kid") not in keys:
        raise ValueError("answer signed by a key the peer does not publish")
    key, alg = load_key(keys[header["kid"]])
    claims = jwt.decode(
        token, key, algorithms=[alg], audience=name, issuer=peer, leeway=5,
        options={"require": ["exp", "iat", "jti", "rti", "hst", "hbd"]},
    )
    if claims["rti"] != jti or claims["hst"] != status:
        raise ValueError("answer belongs to another request")
    if not secrets.compare_digest(claims["hbd"], body_digest(body)):
        raise ValueError("answer body changed")


def call(args):
    with open(args.key) as f:
        private_jwk = json.load(f)
    with open(args.peer_jwks) as f:
        peer_jwks = json.load(f)
    body = args.body.encode() if args.body is not None else b""
    method = "POST" if args.body is not None else "GET"
    split = urlsplit(args.url)
    path = split.path + ("?" + split.query if split.query else "")
    token, jti = sign_request(args.name, private_jwk, args.peer, method, path, body)

    request = urllib.request.Request(args.url, data=body or None, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if body:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, answer, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        # Error answers are checked too (the guard's own 401 is unsigned, so it is refused).
        status, answer, headers = error.code, error.read(), error.headers
    signature = headers.get(RESPONSE_HEADER)
    verify_answer(signature, args.name, args.peer, peer_jwks, jti, status, answer)
    return status, answer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ("--name", "--key", "--peer", "--peer-jwks", "--url"):
        parser.add_argument(option, required=True)
    parser.add_argument("--body")
    args = parser.parse_args()
    try:
        status, answer = call(args)
    except (ValueError, jwt.PyJWTError) as error:
        print("refused the answer: %s" % error, file=sys.stderr)
        return 3
    print(status, answer.decode("utf-8", "replace"))
    return 0 if status < 400 else 1


if __name__ == "__main__":
    sys.exit(main())

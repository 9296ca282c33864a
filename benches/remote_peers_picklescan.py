"""picklescan's Hugging Face mode (`picklescan --huggingface ORG/NAME`) pointed at a local Hub emulator.

picklescan 1.0.5 writes `https://huggingface.co` into `scan_huggingface_model` and opens an `HTTPSConnection`:
it has no endpoint setting. This wrapper replaces its one HTTP function, `_http_get`, with one that sends the same
GET to the emulator over plain HTTP, following redirects as the original does; nothing else changes, so the
requests (the model info, then every pickle-like file downloaded whole from `main`) are the ones it makes of the
Hub. Usage: python remote_peers_picklescan.py ENDPOINT ORG/NAME...
"""

import http.client
import sys
import urllib.parse

from picklescan import scanner

ENDPOINT = sys.argv[1].rstrip("/")


def _http_get(url: str) -> bytes:
    if url.startswith("https://huggingface.co"):
        url = ENDPOINT + url[len("https://huggingface.co") :]
    parsed = urllib.parse.urlparse(url)
    path = parsed.path + ("?" + parsed.query if parsed.query else "")
    conn = http.client.HTTPConnection(parsed.netloc)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status in (301, 302, 307, 308):
            return _http_get(urllib.parse.urljoin(url, response.headers["Location"]))
        if response.status >= 400:
            raise RuntimeError(f"HTTP {response.status} for {url}")
        return response.read()
    finally:
        conn.close()


scanner._http_get = _http_get

infected = 0
errors = 0
for repo in sys.argv[2:]:
    try:
        result = scanner.scan_huggingface_model(repo)
        infected += result.infected_files
        errors += result.scan_err
    except Exception as e:  # a repository it cannot scan is counted, not fatal
        errors += 1
        print(f"{repo}: {e}", file=sys.stderr)
print(f"picklescan: {len(sys.argv) - 2} repositories, {infected} infected files, {errors} errors")

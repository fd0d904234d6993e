#!/usr/bin/env python3
"""An example Allora worker model served over HTTP for allora-client's `http` adapter.

Standard library only. Run it, then point a worker's config at it:

    python3 client/examples/model_server.py --port 8000 --default 100
    # [[worker]]
    # topic = 1
    # model = { kind = "http", url = "http://127.0.0.1:8000/predict" }

For every worker nonce the client POSTs a JSON request:

    {"topic": 1, "nonce": 120, "metadata": "...", "inferers": ["ev..."],
     "history": [{"nonce": 114, "combined": "100.5", "naive": "100.4",
                  "inferers": {"ev...": "100.2"}}, ...]}   # oldest first

and expects {"inference": <number or decimal string>, "forecasts": {"<inferer>": <loss>}}.

The model: the inference is an exponential smoothing (rate ALPHA) of the network's combined
values; the forecast for each inferer is the log10 of its mean squared distance to the
combined value over the history (a proxy for its loss, in the log-loss units of topics that
do not allow negative losses).
"""
import argparse
import json
import math
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALPHA = 0.5


def predict(request, default):
    history = request.get("history", [])
    level = None
    for entry in history:
        value = float(entry["combined"])
        level = value if level is None else ALPHA * value + (1 - ALPHA) * level
    answer = {"inference": repr(default if level is None else level)}
    forecasts = {}
    for inferer in request.get("inferers", []):
        errors = [
            (float(e["inferers"][inferer]) - float(e["combined"])) ** 2
            for e in history
            if inferer in e.get("inferers", {})
        ]
        if errors:
            forecasts[inferer] = repr(math.log10(sum(errors) / len(errors) + 1e-12))
    if forecasts:
        answer["forecasts"] = forecasts
    return answer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        try:
            length = int(self.headers.get("content-length", "0"))
            request = json.loads(self.rfile.read(length))
            body = json.dumps(predict(request, self.server.default)).encode()
            self.send_response(200)
        except (ValueError, KeyError, TypeError) as e:
            body = json.dumps({"error": str(e)}).encode()
            self.send_response(400)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--default", type=float, default=0.0, help="the inference before any history")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.default = args.default
    print(f"listening on http://{args.host}:{args.port}/predict", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

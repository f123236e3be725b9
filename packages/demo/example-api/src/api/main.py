"""The API's WSGI application: `from src.api.main import app` is what the import smoke test checks."""

import json
import os

from src.services.model_registry import registry

API_KEY = os.environ.get("API_KEY", "")


def _json(start_response, status: str, body: dict):
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path == "/health":
        return _json(start_response, "200 OK", {"status": "ok"})
    if path == "/api/mlflow/health":
        return _json(start_response, "200 OK", {"status": "ok", "component": "mlflow"})
    if path == "/api/2.0/mlflow/experiments/list":
        if not API_KEY or environ.get("HTTP_X_API_KEY") != API_KEY:
            return _json(start_response, "401 Unauthorized", {"error": "missing or wrong X-API-Key"})
        return _json(start_response, "200 OK", {"experiments": registry.list_experiments()})
    return _json(start_response, "404 Not Found", {"error": "not found", "path": path})

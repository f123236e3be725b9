"""A tiny in-memory model registry: the module the incident's syntax error was in.

The demo replaces this file with model_registry.py.broken (a broken parameter list at line 26) to replay the
incident, and restores it for the fixed commit. Keep `register_model` on line 26: the demo and
the tests point at it.
"""

import threading
from typing import Dict, List


class ModelRegistry:
    """Registered model versions by name, safe to use from several request threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: Dict[str, List[dict]] = {}

    def list_experiments(self) -> List[dict]:
        with self._lock:
            return [
                {"experiment_id": str(i), "name": name, "versions": len(versions)}
                for i, (name, versions) in enumerate(sorted(self._models.items()))
            ]

    def register_model(self, name: str, version: int, stage: str = "None") -> dict:
        entry = {"name": name, "version": version, "stage": stage}
        with self._lock:
            self._models.setdefault(name, []).append(entry)
        return entry


registry = ModelRegistry()
registry.register_model("churn-classifier", 1, stage="Production")

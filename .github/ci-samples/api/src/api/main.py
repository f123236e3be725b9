"""The sample API's entry point: `from src.api.main import app` is what the import smoke test checks."""

from src.services.model_registry import list_models


class App:
    def routes(self) -> dict[str, object]:
        return {"/health": lambda: {"status": "ok"}, "/models": list_models}


app = App()

"""A tiny stand-in for the API's model registry: enough code for the CI self-test to compile and import."""


def list_models(prefix: str = "", *, limit: int = 10) -> list[str]:
    names = ["baseline", "churn", "forecast"]
    return [name for name in names if name.startswith(prefix)][:limit]

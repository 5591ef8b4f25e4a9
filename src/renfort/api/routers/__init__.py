"""One router per subject of the API, each registered in ``api/main.py`` (``ROUTERS``)."""

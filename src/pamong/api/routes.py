"""Routers mounted on the API. Each app's api.py defines a Router; this file only mounts them."""

"""The HTTP layer: FastAPI routers over ``graph``; ``create_app`` assembles them."""

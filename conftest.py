# Every test runs against real PostgreSQL and RabbitMQ, isolated per run (see servicekit.testing).
# Importing contracts first keeps pytest's importlib mode from shadowing it with the contracts/ folder.
import contracts  # noqa: F401

pytest_plugins = ["servicekit.testing"]

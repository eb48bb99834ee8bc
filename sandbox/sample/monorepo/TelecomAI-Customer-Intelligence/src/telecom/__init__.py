"""TelecomAI-Customer-Intelligence package."""

__version__ = "1.1.0"

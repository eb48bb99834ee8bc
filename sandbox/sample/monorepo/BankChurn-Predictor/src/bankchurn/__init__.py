"""BankChurn-Predictor package."""

__version__ = "1.1.0"

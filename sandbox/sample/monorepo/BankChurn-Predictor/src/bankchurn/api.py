from fastapi import FastAPI

app = FastAPI(title="BankChurn-Predictor")

from fastapi import FastAPI

app = FastAPI(title="TelecomAI-Customer-Intelligence")
